from django.urls import path

from training.integrations import views

urlpatterns = [
    path("", views.integrations, name="integrations"),
    path("statements.jsonl", views.statement_export, name="statement_export"),
    path("webhooks/new/", views.webhook_create, name="webhook_create"),
    path("webhooks/<int:subscription_id>/", views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:subscription_id>/switch/", views.webhook_switch, name="webhook_switch"),
    path("webhooks/<int:subscription_id>/delete/", views.webhook_delete, name="webhook_delete"),
]
