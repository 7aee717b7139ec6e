"""cflared-metrics: what it reads from cloudflared and systemd, and the datapoints it sends, run
end to end against a local IMDSv2, a local metrics endpoint and fake `systemctl` / `aws`."""

import importlib.util
import json
import pathlib
import shutil
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import fakes  # noqa: E402

SCRIPT = HERE.parents[1] / "image" / "files" / "cflared-metrics.py"
spec = importlib.util.spec_from_file_location("cflared_metrics", SCRIPT)
metrics = importlib.util.module_from_spec(spec)
spec.loader.exec_module(metrics)

# The shape of cloudflared's Prometheus exposition (HELP/TYPE lines, labelled and bare series).
EXPOSITION = """# HELP cloudflared_tunnel_ha_connections Number of active ha connections
# TYPE cloudflared_tunnel_ha_connections gauge
cloudflared_tunnel_ha_connections 4
# HELP cloudflared_tunnel_total_requests Amount of requests proxied through all the tunnels
# TYPE cloudflared_tunnel_total_requests counter
cloudflared_tunnel_total_requests 1234
"""


class Parsing(unittest.TestCase):
    def test_ha_connections(self):
        self.assertEqual(metrics.ha_connections(EXPOSITION), 4)
        self.assertEqual(metrics.ha_connections('cloudflared_tunnel_ha_connections{a="1"} 2\n'), 2)
        self.assertEqual(metrics.ha_connections("cloudflared_tunnel_total_requests 9\n"), 0)
        self.assertEqual(metrics.ha_connections(""), 0)

    def test_restarts_of_the_last_hour(self):
        samples = [{"t": 0, "n": 1}, {"t": 1000, "n": 3}, {"t": 3000, "n": 4}]
        count, kept = metrics.restarts_last_hour(samples, 3700, 6)
        self.assertEqual(count, 3)  # the sample at t=0 is older than an hour
        self.assertEqual(kept[-1], {"t": 3700, "n": 6})
        # NRestarts starts again at 0 after a reboot: older, larger samples no longer count.
        count, _ = metrics.restarts_last_hour(samples, 3700, 0)
        self.assertEqual(count, 0)

    def test_one_datapoint_per_minute_whatever_the_second(self):
        a = metrics.metric_data("dev", 1_700_000_040.9, 4, 0, 1.5)
        b = metrics.metric_data("dev", 1_700_000_099.0, 0, 5, None)
        self.assertEqual({d["Timestamp"] for d in a + b}, {"2023-11-14T22:14:00Z"})
        self.assertEqual([(d["MetricName"], d["Value"]) for d in a], [("ReplicaUp", 1), ("RestartsLastHour", 0), ("AmiAgeDays", 1.5)])
        self.assertEqual([(d["MetricName"], d["Value"]) for d in b], [("ReplicaUp", 0), ("RestartsLastHour", 5)])
        self.assertEqual(a[0]["Dimensions"], [{"Name": "Env", "Value": "dev"}])


class EndToEnd(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.bin = self.tmp / "bin"
        self.bin.mkdir()
        self.sent = self.tmp / "sent.json"
        fakes.command(self.bin, "systemctl", 'echo "${NRESTARTS:-2}"\n')
        # Keep a copy of the --metric-data file the publisher hands to the CLI.
        fakes.command(self.bin, "aws", f'for a in "$@"; do case "$a" in file://*) cp "${{a#file://}}" "{self.sent}";; esac; done\necho "$@" > "{self.tmp / "args"}"\n')
        (self.tmp / "build-time").write_text("1700000000\n")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_once(self, exposition, now):
        imds = fakes.imds(env="stg", region="us-east-1")
        cloudflared = fakes.Server({("GET", "/metrics"): (200, exposition)})
        saved = (metrics.IMDS, metrics.METRICS_URL, metrics.STATE_FILE, metrics.BUILD_TIME_FILE)
        old_path = metrics.os.environ["PATH"]
        try:
            metrics.IMDS, metrics.METRICS_URL = imds.url, f"{cloudflared.url}/metrics"
            metrics.STATE_FILE = str(self.tmp / "run" / "restarts.json")
            metrics.BUILD_TIME_FILE = str(self.tmp / "build-time")
            metrics.os.environ["PATH"] = f"{self.bin}:{old_path}"
            self.assertEqual(metrics.main(now=now), 0)
        finally:
            metrics.IMDS, metrics.METRICS_URL, metrics.STATE_FILE, metrics.BUILD_TIME_FILE = saved
            metrics.os.environ["PATH"] = old_path
            imds.stop()
            cloudflared.stop()
        return json.loads(self.sent.read_text()), (self.tmp / "args").read_text()

    def test_a_connected_replica(self):
        data, args = self.run_once(EXPOSITION, now=1_700_000_000 + 2 * 86400 + 30)
        self.assertIn("cloudwatch put-metric-data --region us-east-1 --namespace Adventive/Cloudflared", args)
        by_name = {d["MetricName"]: d for d in data}
        self.assertEqual(by_name["ReplicaUp"]["Value"], 1)
        self.assertEqual(by_name["RestartsLastHour"]["Value"], 0)  # first sample: nothing to compare yet
        self.assertAlmostEqual(by_name["AmiAgeDays"]["Value"], 2.0, places=2)
        self.assertEqual(by_name["ReplicaUp"]["Dimensions"], [{"Name": "Env", "Value": "stg"}])

    def test_cloudflared_without_connections_reports_zero(self):
        data, _ = self.run_once("cloudflared_tunnel_ha_connections 0\n", now=1_700_000_100)
        self.assertEqual({d["MetricName"]: d["Value"] for d in data}["ReplicaUp"], 0)


if __name__ == "__main__":
    unittest.main()
