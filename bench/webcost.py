#!/usr/bin/python3
"""webcost.py: what one web request costs nsearch.cgi as a FastCGI process (Python 3 stdlib).

nsearch.cgi is started as a FastCGI server on a listening Unix socket of its own (its stdin,
as lighttpd's bin-path starts it) and this script is the web server: it sends the request
paths one after another, one connection each, as lighttpd's mod_fastcgi would. No HTTP
server, no wrk, no second client competing for the CPU: only the FastCGI process's own work
is counted.

  cpu ROUNDS RUNS PATHS NAME=CGI:DB...     CPU (user+sys) per request: each run starts each
                                           build twice, once for 1 round of PATHS (warm-up and
                                           start-up) and once for 1 + ROUNDS rounds, and counts
                                           the difference over ROUNDS * len(PATHS) requests;
                                           the builds take turns run by run (A B A B ...);
                                           medians of RUNS
  callgrind ROUNDS OUTDIR PATHS NAME=CGI:DB...
                                           the same difference in instructions executed under
                                           valgrind --tool=callgrind (deterministic); the long
                                           run's profile stays in OUTDIR/callgrind.NAME
  pages OUTDIR PATHS CGI DB                each path's answer (headers and body) and the same
                                           path with format=json, one file each, to compare
                                           two builds' answers byte for byte (cmp -r / diff -r)

PATHS is a file of query strings (bench.py webpaths QUERIES nsearch): what bench/run.sh
gives wrk, without the "/fcgi?" prefix.
"""
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True

FCGI_BEGIN, FCGI_END, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT, FCGI_STDERR = 1, 3, 4, 5, 6, 7
RESPONDER = 1
SCRIPT = "/fcgi"


def die(msg):
    print("webcost.py: " + msg, file=sys.stderr)
    sys.exit(2)


def record(rtype, content, rid=1):
    return struct.pack(">BBHHBx", 1, rtype, rid, len(content), 0) + content


def nv(name, value):
    """One FastCGI name-value pair (lengths under 128 take one byte, else four)."""
    def ln(n):
        return struct.pack(">B", n) if n < 128 else struct.pack(">I", n | 0x80000000)
    n, v = name.encode(), value.encode()
    return ln(len(n)) + ln(len(v)) + n + v


def params_of(qs):
    """The CGI parameters lighttpd gives a "/fcgi" prefix for a GET from wrk."""
    p = {"GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "REQUEST_METHOD": "GET",
         "SCRIPT_NAME": SCRIPT, "QUERY_STRING": qs, "REQUEST_URI": SCRIPT + "?" + qs,
         "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8080", "SERVER_ADDR": "127.0.0.1",
         "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "40000", "HTTP_HOST": "127.0.0.1:8080"}
    body = b"".join(nv(k, v) for k, v in p.items())
    out = b""
    for i in range(0, len(body), 65535):
        out += record(FCGI_PARAMS, body[i:i + 65535])
    return out + record(FCGI_PARAMS, b"")


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        got = s.recv(n - len(buf))
        if not got:
            raise ConnectionError("the FastCGI process closed the connection mid-record")
        buf += got
    return buf


def ask(sock_path, qs):
    """One request on a fresh connection; the stdout stream it answered."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(sock_path)
        s.sendall(record(FCGI_BEGIN, struct.pack(">HB5x", RESPONDER, 0)) + params_of(qs)
                  + record(FCGI_STDIN, b""))
        out = []
        while True:
            _, rtype, _, clen, plen = struct.unpack(">BBHHBx", recv_exact(s, 8))
            content = recv_exact(s, clen + plen)[:clen]
            if rtype == FCGI_STDOUT:
                out.append(content)
            elif rtype == FCGI_END:
                return b"".join(out)
    finally:
        s.close()


class Server:
    """nsearch.cgi as a FastCGI process on a socket of its own, perhaps under valgrind."""

    def __init__(self, cgi, db, wrap=()):
        self.dir = tempfile.mkdtemp(prefix="webcost.")
        self.path = os.path.join(self.dir, "s")
        lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        lsock.bind(self.path)
        lsock.listen(64)
        env = {"NSEARCH_DB": db, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        self.proc = subprocess.Popen(list(wrap) + [cgi], stdin=lsock.fileno(), env=env,
                                     stdout=subprocess.DEVNULL)
        lsock.close()

    def ask(self, qs):
        return ask(self.path, qs)

    def stop(self):
        """SIGTERM ends libfcgi's accept loop cleanly; (exit status, CPU seconds).
        A SIGTERM that lands just before accept() only sets libfcgi's flag, and
        accept() then waits for good: it is sent again until the process ends."""
        for _ in range(600):
            self.proc.terminate()
            for _ in range(20):
                pid, status, ru = os.wait4(self.proc.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(0.05)
            if pid:
                break
        else:
            self.proc.kill()
            _, status, ru = os.wait4(self.proc.pid, 0)
        self.proc.returncode = status
        os.unlink(self.path)
        os.rmdir(self.dir)
        return status, (ru.ru_utime, ru.ru_stime, ru.ru_minflt)


def read_paths(path):
    with open(path, encoding="utf-8") as fh:
        paths = [line.strip() for line in fh if line.strip()]
    if not paths:
        die(path + " holds no request paths")
    return paths


def builds_of(specs):
    out = []
    for spec in specs:
        m = re.match(r"^([^=]+)=([^:]+):(.+)$", spec)
        if not m:
            die("a build is NAME=CGI:DB, not " + spec)
        out.append(m.groups())
    return out


def session(cgi, db, paths, rounds, wrap=()):
    """Start, send 1 + rounds rounds of the paths (checking each is a 200), stop."""
    srv = Server(cgi, db, wrap)
    try:
        for _ in range(1 + rounds):
            for qs in paths:
                head = srv.ask(qs).split(b"\r\n\r\n")[0]
                st = re.search(rb"^Status: (\d+)", head, re.M)
                if not head or (st and st.group(1) != b"200"):
                    die(f"{cgi} answered {head[:60]!r} to {qs}")
    except (OSError, ConnectionError) as e:
        srv.proc.kill()
        die(f"{cgi}: {e}")
    status, cpu = srv.stop()
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        die(f"{cgi} did not end cleanly on SIGTERM (wait status {status})")
    return cpu  # (user s, sys s, minor page faults)


def cmd_cpu(rounds, runs, paths_file, *specs):
    rounds, runs, paths = int(rounds), int(runs), read_paths(paths_file)
    builds = builds_of(specs)
    per = {name: [] for name, _, _ in builds}
    usr = {name: [] for name, _, _ in builds}
    flt = {name: [] for name, _, _ in builds}
    load0 = os.getloadavg()
    n = rounds * len(paths)
    for run in range(runs):
        for name, cgi, db in builds:
            short = session(cgi, db, paths, 0)
            long_ = session(cgi, db, paths, rounds)
            per[name].append((long_[0] + long_[1] - short[0] - short[1]) / n * 1e3)
            usr[name].append((long_[0] - short[0]) / n * 1e3)
            flt[name].append((long_[2] - short[2]) / n)
        print(f"run {run + 1}/{runs}: " + ", ".join(f"{n} {per[n][-1]:.3f}" for n in per),
              file=sys.stderr)
    load1 = os.getloadavg()
    first = statistics.median(per[builds[0][0]])
    print(f"CPU ms (user+sys) per request of the FastCGI process, {len(paths)} paths x {rounds} "
          f"rounds, median of {runs} runs taking turns; load {load0[0]:.1f} -> {load1[0]:.1f}")
    for name, _, _ in builds:
        v = sorted(per[name])
        med = statistics.median(v)
        u = statistics.median(usr[name])
        print(f"  {name:12s} {med:7.3f} ms/request  (min {v[0]:.3f}, max {v[-1]:.3f}; sampled "
              f"split: user {u:.3f}, sys {med - u:.3f}; {statistics.median(flt[name]):.1f} "
              f"page faults), rate {first / med:.3f}x {builds[0][0]}")


def callgrind_total(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith(("totals:", "summary:")):
                return int(line.split()[1])
    die("no totals in " + path)


def cmd_callgrind(rounds, outdir, paths_file, *specs):
    rounds, paths = int(rounds), read_paths(paths_file)
    os.makedirs(outdir, exist_ok=True)
    first = None
    print(f"instructions per request of the FastCGI process (callgrind), {len(paths)} paths x "
          f"{rounds} rounds after one round of warm-up")
    for name, cgi, db in builds_of(specs):
        tot = []
        for label, r in (("short", 0), ("", rounds)):
            out = os.path.join(outdir, "callgrind." + name + ("." + label if label else ""))
            wrap = ("valgrind", "--tool=callgrind", "--quiet", "--callgrind-out-file=" + out)
            session(cgi, db, paths, r, wrap)
            tot.append(callgrind_total(out))
        ipr = (tot[1] - tot[0]) / (rounds * len(paths))
        first = first or ipr
        print(f"  {name:12s} {ipr / 1e6:8.3f} M instructions/request  ({ipr / first:.3f}x), "
              f"start-up and warm-up round {tot[0] / 1e6:.1f} M")


def cmd_pages(outdir, paths_file, cgi, db):
    paths = read_paths(paths_file)
    os.makedirs(outdir, exist_ok=True)
    srv = Server(cgi, db)
    try:
        for i, qs in enumerate(paths):
            for suffix, q in (("html", qs), ("json", qs + "&format=json")):
                with open(os.path.join(outdir, f"{i:03d}.{suffix}"), "wb") as fh:
                    fh.write(srv.ask(q))
    finally:
        srv.stop()


def main(argv):
    cmds = {"cpu": (cmd_cpu, 4), "callgrind": (cmd_callgrind, 4), "pages": (cmd_pages, 4)}
    if len(argv) < 2 or argv[1] not in cmds or len(argv) - 2 < cmds[argv[1]][1]:
        die("usage: see the top of bench/webcost.py")
    t0 = time.time()
    cmds[argv[1]][0](*argv[2:])
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
