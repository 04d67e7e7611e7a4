"""Campaign pages (`views.campaigns`) and scam-simulation pages (`views.simulations`)."""
