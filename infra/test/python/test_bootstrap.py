"""cflared-bootstrap (bash, with the real curl and jq) against a local IMDSv2 and a fake `aws` that
answers the tunnel secret in the shape the fleet stack writes ({config_yaml, credentials_json})."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import fakes  # noqa: E402

SCRIPT = HERE.parents[1] / "image" / "files" / "cflared-bootstrap.sh"
TUNNEL = "cb0c2ef4-3426-4968-8175-a3a053ecc5ea"


def secret(tunnel=TUNNEL, config_tunnel=None):
    config_tunnel = config_tunnel or tunnel
    config = (
        f"tunnel: {config_tunnel}\ncredentials-file: /etc/cloudflared/{config_tunnel}.json\n"
        "no-autoupdate: true\nmetrics: 0.0.0.0:2000\n\ningress:\n  - service: http_status:404\n"
    )
    creds = json.dumps({"AccountTag": "acct", "TunnelSecret": "not-a-real-secret", "TunnelID": tunnel})
    return json.dumps({"config_yaml": config, "credentials_json": creds})


@unittest.skipUnless(shutil.which("bash") and shutil.which("curl") and shutil.which("jq"), "needs bash, curl, jq")
class Bootstrap(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.bin = self.tmp / "bin"
        self.bin.mkdir()
        self.conf = self.tmp / "etc-cloudflared"
        self.calls = self.tmp / "aws-calls"

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_bootstrap(self, env="dev", payload=None):
        (self.tmp / "secret.json").write_text(payload or secret())
        fakes.command(self.bin, "aws", f'echo "$@" >> "{self.calls}"\ncat "{self.tmp / "secret.json"}"\n')
        server = fakes.imds(env=env)
        try:
            return subprocess.run(
                ["bash", str(SCRIPT)],
                env=fakes.env_with(
                    self.bin, CFLARED_CONF_DIR=str(self.conf), CFLARED_IMDS=server.url,
                    CFLARED_ATTEMPTS="2", CFLARED_RETRY_SECONDS="0",
                ),
                capture_output=True, text=True, timeout=60,
            )
        finally:
            server.stop()

    def test_writes_config_and_credentials_for_the_tagged_environment(self):
        r = self.run_bootstrap()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("--secret-id /adventive/cloudflared/dev", self.calls.read_text())
        self.assertIn("--region us-east-1", self.calls.read_text())
        config = (self.conf / "config.yml").read_text()
        self.assertTrue(config.startswith(f"tunnel: {TUNNEL}\n"))
        creds = self.conf / f"{TUNNEL}.json"
        self.assertEqual(json.loads(creds.read_text())["TunnelID"], TUNNEL)
        self.assertEqual(oct(creds.stat().st_mode & 0o777), "0o600")
        self.assertEqual(oct((self.conf / "config.yml").stat().st_mode & 0o777), "0o644")
        self.assertEqual(sorted(p.name for p in self.conf.iterdir()), sorted(["config.yml", f"{TUNNEL}.json"]))
        self.assertNotIn("not-a-real-secret", r.stdout + r.stderr)

    def test_no_adv_env_tag_fails_the_unit_and_writes_nothing(self):
        r = self.run_bootstrap(env=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("InstanceMetadataTags", r.stderr)
        self.assertFalse((self.conf / "config.yml").exists())

    def test_a_config_for_another_tunnel_is_refused(self):
        r = self.run_bootstrap(payload=secret(config_tunnel="00000000-0000-0000-0000-000000000000"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("another tunnel", r.stderr)
        self.assertFalse((self.conf / "config.yml").exists())

    def test_the_script_parses_and_is_executable_in_the_repo(self):
        self.assertEqual(subprocess.run(["bash", "-n", str(SCRIPT)]).returncode, 0)
        self.assertTrue(os.access(SCRIPT, os.X_OK))


if __name__ == "__main__":
    unittest.main()
