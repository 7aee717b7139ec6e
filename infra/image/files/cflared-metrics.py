#!/usr/bin/env python3
"""Publishes this connector's health to CloudWatch; cflared-metrics.timer runs it every minute.

Namespace Adventive/Cloudflared, dimension Env (the instance's adv:env tag), three metrics the fleet
alarms read (001 Phase 1 observability):

- ReplicaUp: 1 while cloudflared holds at least one connection to the edge
  (cloudflared_tunnel_ha_connections > 0 on its metrics endpoint), else 0. Each instance stamps it
  with the current minute, so the Sum over a minute is the number of connected replicas.
- RestartsLastHour: automatic restarts of cloudflared.service in the last hour (systemd's NRestarts,
  sampled here every run). Alarmed on the Maximum: the worst instance.
- AmiAgeDays: days since this AMI was built (the build writes its time to BUILD_TIME_FILE).

Standard library only; the AWS CLI (baked into the AMI) sends the data with the instance profile.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

NAMESPACE = "Adventive/Cloudflared"
METRICS_URL = os.environ.get("CFLARED_METRICS_URL", "http://127.0.0.1:2000/metrics")
IMDS = os.environ.get("CFLARED_IMDS", "http://169.254.169.254")
STATE_FILE = os.environ.get("CFLARED_METRICS_STATE", "/run/cflared-metrics/restarts.json")
BUILD_TIME_FILE = os.environ.get("CFLARED_BUILD_TIME_FILE", "/etc/adv-cflared/build-time")
UNIT = "cloudflared.service"
HOUR = 3600

HA_CONNECTIONS = re.compile(r"^cloudflared_tunnel_ha_connections(?:\{[^}]*\})?\s+(\S+)$", re.M)


def ha_connections(metrics_text):
    """Sum of cloudflared_tunnel_ha_connections in a Prometheus text exposition (0 when absent)."""
    return sum(float(v) for v in HA_CONNECTIONS.findall(metrics_text))


def read_metrics(url=None, timeout=3):
    try:
        with urllib.request.urlopen(url or METRICS_URL, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        # cloudflared down or still starting: no connections.
        return ""


def imds(path, timeout=2):
    """GET from instance metadata with an IMDSv2 session token."""
    token_request = urllib.request.Request(
        f"{IMDS}/latest/api/token",
        method="PUT",
        headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"},
    )
    with urllib.request.urlopen(token_request, timeout=timeout) as response:
        token = response.read().decode()
    request = urllib.request.Request(
        f"{IMDS}/latest/meta-data/{path}", headers={"X-aws-ec2-metadata-token": token}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read().decode().strip()


def systemd_restarts(unit=UNIT):
    out = subprocess.run(
        ["systemctl", "show", "--property=NRestarts", "--value", unit],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return int(out or 0)


def restarts_last_hour(samples, now, current):
    """Restarts since the oldest sample of the last hour; a counter that went down (reboot) restarts the count."""
    recent = [s for s in samples if now - s["t"] <= HOUR and s["n"] <= current]
    baseline = min((s["n"] for s in recent), default=current)
    kept = recent + [{"t": now, "n": current}]
    return current - baseline, kept


def load_samples(path=None):
    try:
        with open(path or STATE_FILE, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return []


def save_samples(samples, path=None):
    path = path or STATE_FILE
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path), delete=False) as f:
        json.dump(samples, f)
    os.replace(f.name, path)


def ami_age_days(now, path=None):
    try:
        with open(path or BUILD_TIME_FILE, encoding="utf-8") as f:
            built = int(f.read().strip())
    except (OSError, ValueError):
        return None
    return max(0.0, (now - built) / 86400)


def metric_data(env, now, connections, restarts, age_days):
    # One datapoint per instance per minute, whenever in the minute the timer fired.
    minute = time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(now))
    dims = [{"Name": "Env", "Value": env}]

    def datum(name, value, unit):
        return {"MetricName": name, "Dimensions": dims, "Timestamp": minute, "Value": value, "Unit": unit}

    data = [
        datum("ReplicaUp", 1 if connections > 0 else 0, "Count"),
        datum("RestartsLastHour", restarts, "Count"),
    ]
    if age_days is not None:
        data.append(datum("AmiAgeDays", round(age_days, 3), "None"))
    return data


def put_metric_data(region, data):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(data, f)
    try:
        subprocess.run(
            ["aws", "cloudwatch", "put-metric-data", "--region", region, "--namespace", NAMESPACE,
             "--metric-data", f"file://{f.name}"],
            check=True,
        )
    finally:
        os.unlink(f.name)


def main(now=None):
    now = time.time() if now is None else now
    env = imds("tags/instance/adv:env")
    region = imds("placement/region")
    connections = ha_connections(read_metrics())
    restarts, samples = restarts_last_hour(load_samples(), now, systemd_restarts())
    save_samples(samples)
    put_metric_data(region, metric_data(env, now, connections, restarts, ami_age_days(now)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
