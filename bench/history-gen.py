#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# history-gen.py: writes N exec entries of trace-execd in the journal's export format (for systemd-journal-remote), to time trace-exec's history and report.
"""Usage: history-gen.py N [SEED] > entries.export

Every entry has the fields the daemon writes for an exec (EXEC_*, POLICY_*,
CONTAINER_* for 1 in 3) and those journald adds (_UID=0,
_SYSTEMD_UNIT=trace-execd.service, _HOSTNAME, _EXE, ...), one exec every
millisecond from a fixed start: 1 in 100 a failed exec (ENOENT or
EACCES), 1 in 1000 killed by a kill rule, 1 in 1000 would-kill. The
counts by executable, user, container, rule and action are those of the
deterministic choices below (same N and SEED, same journal)."""
import random
import sys

MSG_EXEC = "dae8ea1ec2964a42af0f34673ef7d561"
MSG_FAILED = "7709a7d283f54539a0009d14812ca56f"
MSG_KILLED = "cdf4dede5e3a46d0abed64cc33b42009"
MSG_WOULD = "01277ebbe5414a4790ab64a676845f01"
BOOT = "0b5e7c2a9d8f4e6a8c1b2d3e4f5a6b7c"
START_USEC = 1764547200 * 1000000	# 2025-12-01 00:00:00 UTC


def main():
    n = int(sys.argv[1])
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    exes = ["/usr/bin/prog%03d" % i for i in range(200)]
    users = [("root", 0)] + [("user%02d" % i, 1000 + i) for i in range(19)]
    containers = ["web-%02d" % i for i in range(30)]
    rules = [("exec", "mitre_execution"), ("shell", "mitre_execution,T1059"),
             ("net-tool", "mitre_discovery"), ("pkg", ""), ("tmp-exec", "T1036")]
    hosts = ["node-%d" % i for i in range(4)]
    out = sys.stdout
    for i in range(n):
        t = START_USEC + i * 1000
        exe = exes[rnd.randrange(len(exes))]
        user, uid = users[rnd.randrange(len(users))]
        rule, tags = rules[rnd.randrange(len(rules))]
        ct = containers[rnd.randrange(len(containers))] if rnd.randrange(3) == 0 else None
        host = hosts[i % len(hosts)]
        pid = 1000 + i % 30000
        k = rnd.randrange(1000)
        failed = k < 10
        msg = MSG_FAILED if failed else MSG_KILLED if k == 10 else \
            MSG_WOULD if k == 11 else MSG_EXEC
        comm = exe.rsplit("/", 1)[1]
        f = [
            ("__REALTIME_TIMESTAMP", t), ("__MONOTONIC_TIMESTAMP", 5000000 + i * 1000),
            ("_BOOT_ID", BOOT), ("MESSAGE_ID", msg),
            ("MESSAGE", "%s ran %s: %s --opt %d [pid %d, parent bash[%d], rule %s]"
             % (user, exe, comm, i, pid, pid - 1, rule)),
            ("PRIORITY", 6), ("SYSLOG_FACILITY", 10), ("SYSLOG_IDENTIFIER", "trace-execd"),
            ("EXEC_TIMESTAMP_USEC", t - 120), ("EXEC_COMM", comm), ("EXEC_PID", pid),
            ("EXEC_TID", pid), ("EXEC_PPID", pid - 1), ("EXEC_PCOMM", "bash"),
            ("EXEC_PARENT_ID", "0b5e7c2a9d8f4e6a-%d-%d-3" % (100000 + pid, pid - 1)),
            ("EXEC_ARGV", "%s --opt %d" % (comm, i)), ("EXEC_ARG", comm),
            ("EXEC_ARG", "--opt"), ("EXEC_ARG", str(i)),
            ("EXEC_ARGS_JSON", '["%s","--opt","%d"]' % (comm, i)),
            ("EXEC_ARGC", 3), ("EXEC_ARGS_TRUNCATED", 0), ("EXEC_UID", uid),
            ("EXEC_USER", user), ("EXEC_GID", uid), ("EXEC_GROUP", user),
            ("EXEC_LOGINUID", 4294967295), ("EXEC_LOGINUSER", "uid:4294967295"),
            ("EXEC_SESSIONID", 4294967295), ("EXEC_TTY", ""),
        ]
        if failed:
            err = ("ENOENT", 2) if k < 7 else ("EACCES", 13)
            f += [("EXEC_ERROR", err[0]), ("ERRNO", err[1])]
        else:
            f.append(("EXEC_ID", "0b5e7c2a9d8f4e6a-%d-%d-4" % (200000 + i, pid)))
        f += [("EXEC_CWD", "/srv/app"), ("EXEC_FILE", exe), ("EXEC_EXE", exe),
              ("EXEC_PARENT_EXE", "/usr/bin/bash")]
        if not failed:
            f.append(("EXEC_SHA256", "%064x" % (hash(exe) & (2**256 - 1))))
        f += [("EXEC_UPPER_LAYER", 0), ("EXEC_PARENT_UPPER_LAYER", 0),
              ("EXEC_MNTNS", 4026531841), ("EXEC_CGROUP", "/system.slice/app.service")]
        if ct:
            cid = "%064x" % (hash(ct) & (2**256 - 1))
            f += [("CONTAINER_ID", cid[:12]), ("CONTAINER_ID_FULL", cid),
                  ("CONTAINER_NAME", ct), ("CONTAINER_RUNTIME", "podman"),
                  ("IMAGE_NAME", "localhost/app:1")]
        f += [("POLICY_RULE", rule), ("POLICY_TAGS", tags)]
        if msg == MSG_KILLED:
            f.append(("EXEC_ACTION", "killed"))
        elif msg == MSG_WOULD:
            f.append(("EXEC_ACTION", "would-kill"))
        f += [("_UID", 0), ("_GID", 0), ("_PID", 700), ("_COMM", "trace-execd"),
              ("_EXE", "/usr/sbin/trace-execd"),
              ("_CMDLINE", "/usr/sbin/trace-execd"), ("_CAP_EFFECTIVE", 0),
              ("_SYSTEMD_CGROUP", "/system.slice/trace-execd.service"),
              ("_SYSTEMD_UNIT", "trace-execd.service"),
              ("_SYSTEMD_SLICE", "system.slice"), ("_TRANSPORT", "journal"),
              ("_SOURCE_REALTIME_TIMESTAMP", t - 50), ("_HOSTNAME", host),
              ("_MACHINE_ID", "5f1e0c3d2b4a49688776655443322110")]
        out.write("".join("%s=%s\n" % kv for kv in f))
        out.write("\n")


if __name__ == "__main__":
    main()
