import secrets

from django.db import IntegrityError, transaction

from training.people.models import AgeBand, User

# Friendly words for children's generated names and passwords: easy to read aloud and type.
ADJECTIVES = [
    "brave",
    "bright",
    "calm",
    "clever",
    "cosy",
    "eager",
    "fancy",
    "gentle",
    "happy",
    "jolly",
    "kind",
    "lively",
    "lucky",
    "merry",
    "mighty",
    "neat",
    "noble",
    "proud",
    "quick",
    "quiet",
    "rapid",
    "shiny",
    "silly",
    "smart",
    "snowy",
    "speedy",
    "sunny",
    "super",
    "swift",
    "tidy",
    "tiny",
    "witty",
    "wise",
    "zesty",
    "bold",
    "cheerful",
    "curious",
    "daring",
    "friendly",
    "golden",
]
ANIMALS = [
    "badger",
    "bear",
    "beaver",
    "bison",
    "camel",
    "cat",
    "cheetah",
    "crab",
    "deer",
    "dolphin",
    "duck",
    "eagle",
    "falcon",
    "fox",
    "frog",
    "gecko",
    "goat",
    "hawk",
    "hedgehog",
    "heron",
    "horse",
    "koala",
    "lemur",
    "lion",
    "lynx",
    "moose",
    "otter",
    "owl",
    "panda",
    "parrot",
    "penguin",
    "puffin",
    "rabbit",
    "robin",
    "seal",
    "shark",
    "sloth",
    "swan",
    "tiger",
    "turtle",
    "whale",
    "wolf",
    "zebra",
]


@transaction.atomic
def register_user(
    *, username: str, email: str, password: str, age_band: str, language: str = "en"
) -> User:
    """Create a self-registered account (13 or older); the password is hashed with Argon2."""
    return User.objects.create_user(
        username=username, email=email, password=password, age_band=age_band, language=language
    )


def new_pseudonym() -> str:
    return f"{secrets.choice(ADJECTIVES)}-{secrets.choice(ANIMALS)}-{secrets.randbelow(90) + 10}"


def new_child_password() -> str:
    """Three words and two digits: about 33 bits, plus the log-in lock-out after 5 failures."""
    words = [secrets.choice(ADJECTIVES), secrets.choice(ANIMALS), secrets.choice(ADJECTIVES)]
    return "-".join(words) + f"-{secrets.randbelow(90) + 10}"


def create_pseudonymous_account(*, age_band: str = AgeBand.UNDER_13) -> tuple[User, str]:
    """A classroom account: a generated name, no e-mail, no real name. Returns the password
    once; only its hash is stored."""
    password = new_child_password()
    for _attempt in range(20):
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=new_pseudonym(),
                    password=password,
                    age_band=age_band,
                    is_pseudonymous=True,
                )
            return user, password
        except IntegrityError:  # the name is taken; draw another
            continue
    raise RuntimeError("Could not find a free pseudonym in 20 draws.")


def reset_pseudonymous_password(user: User) -> str:
    password = new_child_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password
