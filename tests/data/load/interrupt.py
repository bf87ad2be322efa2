#!/usr/bin/python3
"""interrupt.py COMMAND...

Runs COMMAND with SIGINT at its default disposition (a test shell may have
started us with it ignored), waits until it prints "sleeping", sends it
SIGINT as Ctrl-C would, and exits as a shell reports the result: the exit
status, or 128 + the signal that killed it. COMMAND's stderr is passed on.
"""
import signal
import subprocess
import sys

child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
line = child.stdout.readline()
if line != b'sleeping\n':
    child.kill()
    sys.exit('interrupt: expected "sleeping", got %r' % line)
child.send_signal(signal.SIGINT)
child.stdout.read()
status = child.wait(timeout=60)
sys.exit(128 - status if status < 0 else status)
