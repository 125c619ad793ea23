"""What the example scripts that start their own servers share: the example binary and its
database (a new SQLite file, or the PostgreSQL database given), its commands, and servers on
free ports, each with its own log in the work folder.

    from example_processes import ExampleProcesses
    example = ExampleProcesses("access")          # reads sys.argv: BINARY [DATABASE_URL]
    key = example.create("--name", "reader")
    process, base = example.serve({"API_KEY_RATE_LIMIT": "2/min"})
"""
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


class ExampleProcesses:
    def __init__(self, name):
        self.binary = os.path.realpath(sys.argv[1])
        self.work = tempfile.mkdtemp(prefix=f"apikey-{name}.")
        self.database_url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite://{os.path.join(self.work, 'keys.sqlite')}"
        self.password = f"{name}-test-password"
        self.servers = []

    def environment(self, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("API_KEY_") and k not in ("DATABASE_URL", "LOG_LEVEL")}
        env["DATABASE_URL"] = self.database_url
        env["ADMIN_PASSWORD"] = self.password
        env.update(extra or {})
        return env

    def cli(self, *args):
        result = subprocess.run([self.binary, "api-keys", *args], capture_output=True, text=True, env=self.environment(), cwd=self.work, timeout=60)
        # Standard error's first line names the database; what the command says comes after.
        lines = [line for line in result.stderr.splitlines() if not line.startswith("Database: ")]
        return result.returncode, result.stdout.strip(), "\n".join(lines).strip()

    def create(self, *args):
        code, out, err = self.cli("create", *args)
        assert code == 0, f"create {args} failed: {err}"
        return out

    def serve(self, extra=None):
        """A server with `extra` settings: its process and its base URL, once it answers."""
        port = free_port()
        log = open(os.path.join(self.work, f"server-{port}.log"), "w")
        process = subprocess.Popen([self.binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                                   env=self.environment(extra), cwd=self.work, stdout=log, stderr=subprocess.STDOUT)
        self.servers.append(process)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/public", timeout=1)
                return process, f"http://127.0.0.1:{port}"
            except Exception:
                time.sleep(0.05)
        raise SystemExit(f"the server did not start: {open(log.name).read()}")

    def stop(self):
        """Kills every server still running."""
        for process in self.servers:
            if process.poll() is None:
                process.kill()
                process.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
