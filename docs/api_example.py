"""Provision staff into departments, run a campaign and read its progress, over HTTP only.

    API_TOKEN=sat_... python docs/api_example.py https://awareness.example harbour

The token is a read-and-write token made on /orgs/<org>/api-tokens/. Safe to run again: people
and departments that exist are found and kept. See the README's API section.
"""

import os
import sys
import time
from datetime import UTC, datetime

import httpx

DEPARTMENTS = ["Retail", "Cards", "Treasury", "Operations"]
PEOPLE = 100


def pages(api: httpx.Client, path: str, **params):
    """Every row of a list, following the cursor pages."""
    url, query = path, {**params, "page_size": 500}
    while url:
        page = api.get(url, params=query).raise_for_status().json()
        yield from page["results"]
        url, query = page["next"], None


def department_ids(api: httpx.Client) -> list[int]:
    existing = {group["name"]: group["id"] for group in pages(api, "groups/")}
    for name in DEPARTMENTS:
        if name not in existing:
            existing[name] = (
                api.post("groups/", json={"name": name}).raise_for_status().json()["id"]
            )
    return [existing[name] for name in DEPARTMENTS]


def provision(api: httpx.Client, number: int, department: int) -> None:
    """Add one person, or put them in their department if they are already a member."""
    person = {
        "email": f"staff{number:03}@harbour.example",
        "first_name": "Staff",
        "last_name": f"{number:03}",
        "external_id": f"HR-{number:05}",
        "groups": [department],
    }
    response = api.post("members/", json=person)
    if response.status_code == 400 and "email" in response.json()["error"]["fields"]:
        [member] = pages(api, "members/", email=person["email"])
        api.patch(f"members/{member['id']}/", json={"groups": [department]}).raise_for_status()
        return
    response.raise_for_status()


def main(base_url: str, org: str, token: str) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{base_url}/api/v1/orgs/{org}/"
    with httpx.Client(base_url=base, headers=headers, timeout=30) as api:
        departments = department_ids(api)
        for number in range(PEOPLE):
            provision(api, number, departments[number % len(departments)])

        modules = api.get(f"{base_url}/api/v1/modules/").raise_for_status()
        campaign = (
            api.post(
                "campaigns/",
                json={
                    "name": "Spot the scam",
                    "modules": [modules.json()[0]["slug"]],
                    "groups": departments,
                    "starts_at": datetime.now(UTC).isoformat(),
                    "due_days": 14,
                },
            )
            .raise_for_status()
            .json()
        )
        api.post(f"campaigns/{campaign['id']}/launch/").raise_for_status()

        # The launch enrols people in the background: read progress until it has.
        for _ in range(120):
            progress = api.get(f"campaigns/{campaign['id']}/progress/").raise_for_status().json()
            if progress["run_status"] == "launched":
                return progress
            time.sleep(0.5)
        raise SystemExit(f"The launch has not finished: {progress}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or "API_TOKEN" not in os.environ:
        raise SystemExit(__doc__)
    print(main(sys.argv[1].rstrip("/"), sys.argv[2], os.environ["API_TOKEN"]))
