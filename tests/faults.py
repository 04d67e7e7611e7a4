"""Crashes on cue, for fault tests. Imported first (a worker started with `-A tests.faults`, or
a script's first import), with CRASH_BEFORE_PUBLISHING set to a task's name, the process's
whole group is killed with SIGKILL, as an OOM kill or a lost node would, the moment it is
about to hand that task to the broker: after the commit that queued it, before the broker has
it. The hook sits at the network edge (kombu's publish), not in our code."""

import os
import signal

from kombu.messaging import Producer

from awareness.celery import app

__all__ = ["app"]

# Only a process started in a group of its own may kill its group (a pool's children inherit
# this from the worker, which imports this module before forking them).
GROUP_LEADER = os.getpid()


def crash_before_publishing(task_name: str) -> None:
    publish = Producer.publish

    def publish_or_crash(self, body, *args, headers=None, **kwargs):
        if (headers or {}).get("task") == task_name:
            if os.getpgrp() != GROUP_LEADER:
                raise RuntimeError("start the crashing process in a process group of its own")
            os.killpg(GROUP_LEADER, signal.SIGKILL)
        return publish(self, body, *args, headers=headers, **kwargs)

    Producer.publish = publish_or_crash


if os.environ.get("CRASH_BEFORE_PUBLISHING"):
    crash_before_publishing(os.environ["CRASH_BEFORE_PUBLISHING"])
