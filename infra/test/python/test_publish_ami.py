"""The promotion Lambda and its EventBridge rule on AWS's documented Image State Change event (#21).

ADV_IMAGE_PATTERNS names a JSON file with the synthesized rules' event patterns and the pipeline's
account, region and recipe (test/python.test.ts writes it from the image stack); without it the
pattern tests are skipped.
"""

import copy
import json
import os
import pathlib
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "lambda" / "publish_ami"))

import eventpattern  # noqa: E402
import handler  # noqa: E402

SAMPLE = json.loads((HERE / "events" / "image-state-change-available.json").read_text())
PATTERNS_FILE = os.environ.get("ADV_IMAGE_PATTERNS")
STACK = json.loads(pathlib.Path(PATTERNS_FILE).read_text()) if PATTERNS_FILE else None

try:
    from moto.events.models import EventPattern as MotoEventPattern
except ImportError:  # moto is optional: the tests' own matcher always runs
    MotoEventPattern = None

try:
    import boto3
    from botocore.stub import Stubber
except ImportError:
    boto3 = None

REGION = "us-east-1"
ACCOUNT = "123456789012"
RECIPE = "adv-cflared-recipe"
PREFIX = f"arn:aws:imagebuilder:{REGION}:{ACCOUNT}:image/{RECIPE}/"
IMAGE_ARN = f"{PREFIX}1.1.0/3"
AMI = "ami-0123456789abcdef0"
STATE_MACHINE = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:adv-cflared-rolling-update"


def event_for(image_arn, region=REGION, account=ACCOUNT, status="AVAILABLE"):
    """The documented sample, moved to our pipeline's account, region and image; same shape."""
    event = copy.deepcopy(SAMPLE)
    event.update(account=account, region=region, resources=[image_arn])
    event["detail"]["state"]["status"] = status
    return event


def the_image(status="AVAILABLE", amis=None):
    return {
        "image": {
            "arn": IMAGE_ARN,
            "state": {"status": status},
            "outputResources": {
                "amis": amis if amis is not None else [{"region": REGION, "image": AMI, "accountId": ACCOUNT}]
            },
        }
    }


class FakeImageBuilder:
    def __init__(self, response):
        self.response, self.calls = response, []

    def get_image(self, **kwargs):
        self.calls.append(kwargs)
        return self.response


class FakeSsm:
    """Parameter Store with aws:ec2:image's asynchronous validation: the value lands a read later."""

    def __init__(self, value="ami-old", reads_before_visible=1):
        self.value, self.pending, self.reads_before_visible = value, None, reads_before_visible
        self.puts = []

    def put_parameter(self, **kwargs):
        self.puts.append(kwargs)
        self.pending = [kwargs["Value"], self.reads_before_visible]
        return {"Version": len(self.puts)}

    def get_parameter(self, Name):
        if self.pending:
            if self.pending[1] == 0:
                self.value, self.pending = self.pending[0], None
            else:
                self.pending[1] -= 1
        return {"Parameter": {"Name": Name, "Value": self.value}}


class FakeSfn:
    class exceptions:
        class ExecutionAlreadyExists(Exception):
            pass

    def __init__(self):
        self.names, self.starts = set(), []

    def start_execution(self, stateMachineArn, name, input):
        if name in self.names:
            raise self.exceptions.ExecutionAlreadyExists(name)
        self.names.add(name)
        self.starts.append({"stateMachineArn": stateMachineArn, "name": name, "input": json.loads(input)})
        return {"executionArn": f"{stateMachineArn.replace(':stateMachine:', ':execution:')}:{name}"}


def run(event, imagebuilder=None, ssm=None, sfn=None):
    imagebuilder = imagebuilder or FakeImageBuilder(the_image())
    ssm, sfn = ssm or FakeSsm(), sfn or FakeSfn()
    result = handler.publish(
        event, imagebuilder=imagebuilder, ssm=ssm, sfn=sfn, region=REGION,
        parameter="/adventive/cloudflared/ami-id-latest", state_machine_arn=STATE_MACHINE,
        prefix=PREFIX, sleep=lambda _s: None,
    )
    return result, imagebuilder, ssm, sfn


class DocumentedEventShape(unittest.TestCase):
    def test_the_image_arn_is_in_resources_and_detail_holds_only_the_states(self):
        self.assertEqual(SAMPLE["detail-type"], handler.DETAIL_TYPE)
        self.assertEqual(set(SAMPLE["detail"]), {"previous-state", "state"})
        self.assertTrue(SAMPLE["resources"][0].startswith("arn:aws:imagebuilder:"))

    def test_the_fields_the_as_built_rule_and_function_read_are_not_there(self):
        # 000 §4.8 / §8 #21: detail.source-pipeline-arn, then detail.image-arn.
        self.assertNotIn("source-pipeline-arn", SAMPLE["detail"])
        self.assertNotIn("image-arn", SAMPLE["detail"])


class Publish(unittest.TestCase):
    def test_writes_the_ami_of_its_region_then_starts_the_rollout(self):
        amis = [{"region": "us-west-2", "image": "ami-0ffffffffffffffff"}, {"region": REGION, "image": AMI}]
        result, ib, ssm, sfn = run(event_for(IMAGE_ARN), imagebuilder=FakeImageBuilder(the_image(amis=amis)))
        self.assertEqual(ib.calls, [{"imageBuildVersionArn": IMAGE_ARN}])
        self.assertEqual(ssm.puts, [{
            "Name": "/adventive/cloudflared/ami-id-latest", "Value": AMI, "Type": "String",
            "DataType": "aws:ec2:image", "Overwrite": True, "Description": f"cloudflared AMI from {IMAGE_ARN}",
        }])
        self.assertEqual(ssm.value, AMI)
        self.assertEqual(sfn.starts, [{
            "stateMachineArn": STATE_MACHINE, "name": "adv-cflared-recipe-1-1-0-3",
            "input": {"ami_id": AMI, "image_arn": IMAGE_ARN, "acceleration": "normal"},
        }])
        self.assertEqual(result["ami_id"], AMI)

    def test_the_rollout_starts_only_once_the_parameter_reads_the_new_ami(self):
        order = []
        ssm = FakeSsm(reads_before_visible=3)
        original = ssm.get_parameter

        def get_parameter(Name):
            value = original(Name)["Parameter"]["Value"]
            order.append(("read", value))
            return {"Parameter": {"Name": Name, "Value": value}}

        ssm.get_parameter = get_parameter
        sfn = FakeSfn()
        start = sfn.start_execution
        sfn.start_execution = lambda **kw: (order.append(("start", None)), start(**kw))[1]
        run(event_for(IMAGE_ARN), ssm=ssm, sfn=sfn)
        self.assertEqual(order[-1], ("start", None))
        self.assertEqual(order[-2], ("read", AMI))
        self.assertTrue(all(v == "ami-old" for kind, v in order[:-2]))

    def test_a_parameter_that_never_takes_the_value_stops_before_the_rollout(self):
        ssm, sfn = FakeSsm(reads_before_visible=10_000), FakeSfn()
        with self.assertRaises(handler.NotPromotable):
            run(event_for(IMAGE_ARN), ssm=ssm, sfn=sfn)
        self.assertEqual(sfn.starts, [])

    def test_the_same_event_delivered_twice_starts_one_rollout(self):
        sfn = FakeSfn()
        run(event_for(IMAGE_ARN), sfn=sfn)
        result, *_ = run(event_for(IMAGE_ARN), sfn=sfn)
        self.assertEqual(len(sfn.starts), 1)
        self.assertTrue(result["execution"].endswith(":execution:adv-cflared-rolling-update:adv-cflared-recipe-1-1-0-3"))

    def test_other_statuses_publish_nothing(self):
        for status in ("BUILDING", "TESTING", "DISTRIBUTING", "INTEGRATING", "FAILED", "CANCELLED"):
            result, ib, ssm, sfn = run(event_for(IMAGE_ARN, status=status))
            self.assertEqual(result, {"published": False, "status": status})
            self.assertEqual((ib.calls, ssm.puts, sfn.starts), ([], [], []))

    def test_refuses_another_recipes_image_and_an_image_without_an_ami_here(self):
        with self.assertRaises(handler.NotPromotable):
            run(event_for(f"arn:aws:imagebuilder:{REGION}:{ACCOUNT}:image/other-recipe/1.0.0/1"))
        with self.assertRaises(handler.NotPromotable):
            run(event_for(IMAGE_ARN), imagebuilder=FakeImageBuilder(the_image(amis=[{"region": "eu-west-1", "image": AMI}])))
        with self.assertRaises(handler.NotPromotable):
            run(event_for(IMAGE_ARN), imagebuilder=FakeImageBuilder(the_image(status="DEPRECATED")))

    def test_refuses_events_of_other_kinds(self):
        event = event_for(IMAGE_ARN)
        event["detail-type"] = "EC2 Image Builder CVE Detected"
        with self.assertRaises(handler.NotPromotable):
            run(event)

    def test_a_handler_reading_detail_image_arn_finds_nothing_in_the_real_event(self):
        # What the as-built function read: the real event gives it None, so it never published.
        self.assertIsNone(event_for(IMAGE_ARN)["detail"].get("image-arn"))
        self.assertEqual(handler.image_arn_of(event_for(IMAGE_ARN), PREFIX), IMAGE_ARN)


@unittest.skipUnless(STACK, "needs the synthesized rule (run through npm run infra:test)")
class RulePattern(unittest.TestCase):
    """The synthesized rule against the documented event, and the as-built patterns that never fired."""

    def setUp(self):
        self.available = STACK["patterns"]["available"]
        self.failed = STACK["patterns"]["failed"]
        s = STACK
        self.image_arn = f"arn:aws:imagebuilder:{s['region']}:{s['account']}:image/{s['recipe']}/1.1.0/1"
        self.event = event_for(self.image_arn, region=s["region"], account=s["account"])
        pipeline_arn = f"arn:aws:imagebuilder:{s['region']}:{s['account']}:image-pipeline/{s['pipeline']}"
        image_prefix = f"arn:aws:imagebuilder:{s['region']}:{s['account']}:image/{s['recipe']}/"
        base = {"source": ["aws.imagebuilder"], "detail-type": [handler.DETAIL_TYPE]}
        self.as_built = {
            "source-pipeline-arn": {**base, "detail": {"source-pipeline-arn": [pipeline_arn], "state": {"status": ["AVAILABLE"]}}},
            "image-arn prefix": {**base, "detail": {"image-arn": [{"prefix": image_prefix}], "state": {"status": ["AVAILABLE"]}}},
        }

    def matchers(self):
        yield "own", eventpattern.matches
        if MotoEventPattern:
            yield "moto", lambda pattern, event: MotoEventPattern.load(json.dumps(pattern)).matches_event(event)

    def test_the_rule_matches_the_documented_event_of_our_recipe(self):
        for name, match in self.matchers():
            with self.subTest(matcher=name):
                self.assertTrue(match(self.available, self.event))

    def test_the_as_built_patterns_do_not_match_it(self):
        for name, match in self.matchers():
            for label, pattern in self.as_built.items():
                with self.subTest(matcher=name, pattern=label):
                    self.assertFalse(match(pattern, self.event))

    def test_the_rule_ignores_other_statuses_and_other_recipes(self):
        other = self.image_arn.replace(f"/{STACK['recipe']}/", "/someone-elses-recipe/")
        # A recipe whose name only starts like ours must not match either: the prefix ends with "/".
        longer = self.image_arn.replace(f"/{STACK['recipe']}/", f"/{STACK['recipe']}-canary/")
        for name, match in self.matchers():
            with self.subTest(matcher=name):
                self.assertFalse(match(self.available, event_for(other, STACK["region"], STACK["account"])))
                self.assertFalse(match(self.available, event_for(longer, STACK["region"], STACK["account"])))
                for status in ("BUILDING", "TESTING", "DISTRIBUTING", "FAILED"):
                    event = event_for(self.image_arn, STACK["region"], STACK["account"], status)
                    self.assertFalse(match(self.available, event))
                self.assertTrue(match(self.failed, event_for(self.image_arn, STACK["region"], STACK["account"], "FAILED")))

    def test_what_the_rule_lets_through_the_function_publishes(self):
        event = self.event
        result, *_ = handler.publish(
            event, imagebuilder=FakeImageBuilder(the_image(amis=[{"region": STACK["region"], "image": AMI}])),
            ssm=FakeSsm(), sfn=FakeSfn(), region=STACK["region"], parameter=STACK["parameter"],
            state_machine_arn=STATE_MACHINE, prefix=STACK["prefix"], sleep=lambda _s: None,
        ), None
        self.assertEqual(result["ami_id"], AMI)


@unittest.skipUnless(boto3, "boto3 is not installed")
class AgainstTheApiModels(unittest.TestCase):
    """Real boto3 clients with botocore's Stubber: each call's parameters are checked against the
    service's API model (names, types, enums) before the canned answer is returned."""

    def test_every_call_is_valid_for_the_service(self):
        session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)
        ib, ssm, sfn = (session.client(s) for s in ("imagebuilder", "ssm", "stepfunctions"))
        name = "/adventive/cloudflared/ami-id-latest"
        with Stubber(ib) as s_ib, Stubber(ssm) as s_ssm, Stubber(sfn) as s_sfn:
            s_ib.add_response("get_image", the_image(), {"imageBuildVersionArn": IMAGE_ARN})
            s_ssm.add_response("put_parameter", {"Version": 7}, {
                "Name": name, "Value": AMI, "Type": "String", "DataType": "aws:ec2:image",
                "Overwrite": True, "Description": f"cloudflared AMI from {IMAGE_ARN}",
            })
            s_ssm.add_response("get_parameter", {"Parameter": {"Name": name, "Value": AMI}}, {"Name": name})
            s_sfn.add_response(
                "start_execution",
                {"executionArn": f"arn:aws:states:{REGION}:{ACCOUNT}:execution:adv-cflared-rolling-update:x", "startDate": 0},
                {"stateMachineArn": STATE_MACHINE, "name": "adv-cflared-recipe-1-1-0-3",
                 "input": json.dumps({"ami_id": AMI, "image_arn": IMAGE_ARN, "acceleration": "normal"})},
            )
            result = handler.publish(
                event_for(IMAGE_ARN), imagebuilder=ib, ssm=ssm, sfn=sfn, region=REGION, parameter=name,
                state_machine_arn=STATE_MACHINE, prefix=PREFIX, sleep=lambda _s: None,
            )
            for stub in (s_ib, s_ssm, s_sfn):
                stub.assert_no_pending_responses()
        self.assertEqual(result["ami_id"], AMI)

    def test_a_redelivered_event_is_recognised_by_the_real_exception_class(self):
        session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)
        sfn = session.client("stepfunctions")
        with Stubber(sfn) as stub:
            stub.add_client_error("start_execution", service_error_code="ExecutionAlreadyExists")
            result, *_ = run(event_for(IMAGE_ARN), sfn=sfn)
        self.assertTrue(result["execution"].endswith(":adv-cflared-recipe-1-1-0-3"))


if __name__ == "__main__":
    unittest.main()
