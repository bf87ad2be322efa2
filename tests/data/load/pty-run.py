#!/usr/bin/python3
"""pty-run.py [--answer TEXT]... [--wait-for TEXT] -- COMMAND...

Runs COMMAND with stdin, stdout and stderr on a new pseudo-terminal, as a
person at a terminal would. Each time the output shows WAIT-FOR (default:
"(y/N)?"), the next --answer is typed, followed by Enter. Prints everything
the terminal showed on stdout and exits with COMMAND's status (128 + signal
when killed). Gives up after 60 seconds.
"""
import os
import select
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    answers, wait_for = [], '(y/N)?'
    while args and args[0] != '--':
        if args[0] == '--answer':
            answers.append(args[1])
        elif args[0] == '--wait-for':
            wait_for = args[1]
        else:
            sys.exit('pty-run: unknown option %s' % args[0])
        args = args[2:]
    command = args[1:]
    master, slave = os.openpty()
    child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave,
                             start_new_session=True)
    os.close(slave)
    shown, seen = b'', 0
    deadline = time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            if child.poll() is not None:
                break
            continue
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        shown += data
        if answers and shown.count(wait_for.encode(), seen) > 0:
            seen = shown.rindex(wait_for.encode()) + len(wait_for)
            os.write(master, answers.pop(0).encode() + b'\n')
    else:
        child.kill()
    status = child.wait()
    os.close(master)
    sys.stdout.write(shown.decode('utf-8', 'replace').replace('\r\n', '\n'))
    sys.exit(128 - status if status < 0 else status)


main()
