"""A swarm of WebSocket clients for bench_live.py, run as its own process.

Reads one JSON line on stdin: {"urls": [...], "headers": [[...], ...] or null, "rounds": n,
"answer": bool, "burst": seconds}. Connects every socket (to 127.0.0.1 only), prints "READY",
then records, for every socket and round, when the question arrived, when it answered, when the
receipt and the result arrived and how many frames it got. When every socket has seen `rounds`
questions and their results (or "ended"), or after `limit` seconds, it prints one JSON line of
results and exits. Answers are spread at random over `burst` seconds after the question.
"""

import asyncio
import json
import random
import re
import sys
import time

import websockets

SPOT = re.compile(r'name="spots" value="(\d+)"')


def pick(question: dict) -> dict:
    if question["field"] == "spots":
        values = SPOT.findall(question["example_html"])[:1]
    else:
        values = [random.choice(question["options"])["value"]]
    return {question["field"]: values if question["multiple"] else values[0]}


async def client(url: str, headers, config: dict, record: dict, ready: asyncio.Event, gate):
    rounds, answer, burst = config["rounds"], config["answer"], config["burst"]
    async with gate:
        socket = await websockets.connect(
            url,
            additional_headers=headers,
            compression=None,
            open_timeout=60,
            max_queue=None,
        )
    record["connected"] = True
    pending: set = set()
    try:
        async for text in socket:
            now = time.time()
            frame = json.loads(text)
            kind = frame.get("type")
            if kind == "state":
                ready.set()
                continue
            number = frame.get("number") or frame.get("n") or 0
            rows = record["rounds"]
            if kind == "question.opened":
                rows[str(number)] = {"question": now, "frames": 1}
                if answer:

                    async def send_later(question=frame, row=rows[str(number)]):
                        await asyncio.sleep(random.uniform(0, burst))
                        message = {"type": "answer", "question": question["number"]}
                        message["answer"] = pick(question)
                        row["answered"] = time.time()
                        await socket.send(json.dumps(message))

                    task = asyncio.ensure_future(send_later())
                    pending.add(task)
                    task.add_done_callback(pending.discard)
                elif number >= rounds:
                    break
            elif rows and (str(number) in rows or kind in ("answer.recorded", "error")):
                row = rows.get(str(number)) or rows[max(rows, key=int)]
                row["frames"] = row.get("frames", 0) + 1
                if kind == "answer.recorded":
                    row["recorded"] = now
                elif kind == "question.revealed":
                    row["revealed"] = now
                    if number >= rounds:
                        break
                elif kind == "error":
                    row["errors"] = row.get("errors", 0) + 1
            if kind == "session.ended":
                break
    except websockets.ConnectionClosed:
        record["closed"] = True
    finally:
        await socket.close()


async def main() -> None:
    config = json.loads(sys.stdin.readline())
    urls, headers = config["urls"], config["headers"] or [None] * len(config["urls"])
    records = [{"rounds": {}} for _ in urls]
    events = [asyncio.Event() for _ in urls]
    gate = asyncio.Semaphore(50)  # connect in waves, as a room does
    tasks = [
        asyncio.ensure_future(client(url, dict(h) if h else None, config, rec, ev, gate))
        for url, h, rec, ev in zip(urls, headers, records, events, strict=True)
    ]
    if config.get("expect_state", True):
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), 120)
    else:
        while not all(r.get("connected") for r in records):
            await asyncio.sleep(0.05)
    print("READY", flush=True)
    done, _pending = await asyncio.wait(tasks, timeout=config.get("limit", 300))
    for task in done:
        if task.exception():
            print(f"client failed: {task.exception()!r}", file=sys.stderr)
    print(json.dumps(records), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
