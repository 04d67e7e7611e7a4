"""Pages of live quizzes: join with a PIN, play on a phone, host on a projector, results CSV.
The game itself runs over WebSockets (consumers.py); these pages set it up."""

import csv

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from awareness.content import selectors as content
from awareness.lib.throttling import throttle_posts, throttle_wrong_codes
from training.live import selectors
from training.live.forms import NicknameForm, PinForm, SessionSetupForm
from training.live.services import LiveError, join_live_session, start_live_session
from training.progress.learners import learner_for


@throttle_posts("live-join", "RATELIMIT_LIVE_JOIN", methods=("GET",))
def join_start(request):
    form = PinForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("live_join", form.cleaned_data["pin"])
    hosted = selectors.hosted_sessions(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "live/join_start.html",
        {"form": form, "hosted": hosted},
        status=400 if form.errors else 200,
    )


@never_cache
@throttle_wrong_codes("wrong-live-pin", "RATELIMIT_WRONG_LIVE_PIN")
@throttle_posts("live-join", "RATELIMIT_LIVE_JOIN", methods=("GET", "POST"))
def join(request, pin):
    session = selectors.open_session_by_pin(pin)
    if selectors.player_in_browser(session, request.session, request.user):
        return redirect("live_play", session.public_id)
    user = request.user
    pseudonym = user.get_username() if user.is_authenticated and user.is_pseudonymous else ""
    form = NicknameForm(request.POST if request.method == "POST" and not pseudonym else None)
    if request.method == "POST" and (pseudonym or form.is_valid()):
        try:
            _player, token = join_live_session(
                session,
                nickname=pseudonym or form.cleaned_data["nickname"],
                user=user,
                max_age_rating=learner_for(request).max_age_rating,
                now=timezone.now(),
            )
        except LiveError as error:
            form.add_error(None, str(error))
        else:
            # The browser now holds a player's identity: a new session key, so a key planted
            # in this browser beforehand (session fixation) cannot take the player over.
            request.session.cycle_key()
            tokens = request.session.get(selectors.BROWSER_KEY) or {}
            tokens[str(session.pk)] = token
            request.session[selectors.BROWSER_KEY] = tokens
            return redirect("live_play", session.public_id)
    return render(
        request,
        "live/join.html",
        {"session": session, "form": form, "pseudonym": pseudonym},
        status=400 if form.errors else 200,
    )


def _player_texts() -> dict:
    """What the phone's script says, translated here; {name} marks a value it fills in."""
    return {
        "joined": _("You're in!"),
        "waiting": _("Look at the big screen: the quiz starts when the host is ready."),
        "question": _("Question %(number)s of %(total)s")
        % {"number": "{number}", "total": "{total}"},
        "seconds_left": _("%(seconds)s seconds left") % {"seconds": "{seconds}"},
        "send": _("Send my answer"),
        "sent": _("Answer sent. Look at the big screen."),
        "times_up": _("Time's up!"),
        "correct": _("Correct!"),
        "partly": _("Partly right."),
        "wrong": _("Not this time."),
        "no_answer": _("No answer this time."),
        "points_won": _("+%(points)s points") % {"points": "{points}"},
        "streak": _("%(streak)s in a row") % {"streak": "{streak}"},
        "rank": _("You are number %(rank)s of %(players)s.")
        % {"rank": "{rank}", "players": "{players}"},
        "answer_was": _("The answer:"),
        "next_soon": _("Wait for the next question."),
        "final": _("Final score: %(score)s points") % {"score": "{score}"},
        "see_results": _("See your answers"),
        "ended": _("The quiz is over. Thank you for playing!"),
        "kicked": _("The host removed you from this quiz."),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "tap_flags": _("Tap every part that should make you suspicious, then send your answer."),
        "choose_all": _("Choose every answer that applies."),
    }


@never_cache
@require_GET
def play(request, public_id):
    session = selectors.session_by_public_id(public_id)
    player = selectors.player_in_browser(session, request.session, request.user)
    if player is None:
        if session.is_open:
            return redirect("live_join", session.pin)
        return render(request, "live/over.html", {"session": session}, status=410)
    return render(
        request,
        "live/play.html",
        {
            "session": session,
            "player": player,
            "socket_path": f"/ws/live/{public_id}/play/",
            "texts": _player_texts(),
        },
    )


@login_required
def host_new(request):
    modules = content.catalogue(language=get_language(), max_age_rating=request.user.max_age_rating)
    return render(
        request,
        "live/host_new.html",
        {"modules": modules, "hosted": selectors.hosted_sessions(request.user)},
    )


@login_required
def host_setup(request, slug):
    module = content.module_for(
        slug, language=get_language(), max_age_rating=request.user.max_age_rating
    )
    questions = selectors.module_questions(module)
    form = SessionSetupForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            session = start_live_session(
                request.user,
                module,
                question_ids=form.cleaned_data["questions"],
                seconds=form.cleaned_data["seconds"],
                now=timezone.now(),
            )
        except LiveError as error:
            form.add_error(None, str(error))
        else:
            return redirect("live_host", session.public_id)
    return render(
        request,
        "live/host_setup.html",
        {"module": module, "form": form, "questions": questions},
        status=400 if form.errors else 200,
    )


def _screen_context(request, session) -> dict:
    join_url = request.build_absolute_uri(reverse("live_join", args=[session.pin]))
    context = selectors.host_screen(session, now=timezone.now())
    context.update(
        join_url=join_url,
        qr=segno.make(join_url, error="m").svg_inline(scale=6, title=_("QR code to join")),
    )
    return context


@never_cache
@login_required
def host(request, public_id):
    session = selectors.session_for_host(request.user, public_id)
    context = _screen_context(request, session)
    context["socket_path"] = f"/ws/live/{public_id}/host/"
    return render(request, "live/host.html", context)


@never_cache
@login_required
@require_GET
def host_screen(request, public_id):
    """The projector's current screen, fetched by the host page after each transition."""
    session = selectors.session_for_host(request.user, public_id)
    return render(request, "live/_screen.html", _screen_context(request, session))


@login_required
@require_GET
def results_csv(request, public_id):
    session = selectors.session_for_host(request.user, public_id)
    header, rows = selectors.results_rows(session)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="live-quiz-{session.pin}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the nicknames as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
