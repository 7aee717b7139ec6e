"""Promotes a new cloudflared AMI: EventBridge -> this function -> SSM parameter -> rollout.

The EventBridge rule delivers "EC2 Image Builder Image State Change" events of this pipeline's images
once they are AVAILABLE. As AWS documents that event, the image build version ARN is in `resources`
and `detail` holds only `previous-state` and `state`: there is no `detail.image-arn` (what the as-built
rule and function read, 000 §8 #21), and no AMI id. The AMI id comes from GetImage.

Then:
1. the AMI id is written to the String parameter the launch templates resolve at launch
   (data type aws:ec2:image: Parameter Store checks the AMI exists before the new value counts);
2. once the parameter reads back the new id, the rollout state machine starts, named after the image
   build version so that a second delivery of the same event starts nothing.

Environment: AMI_PARAMETER, ROLLOUT_STATE_MACHINE_ARN, IMAGE_ARN_PREFIX (this recipe's images), and
AWS_REGION (set by Lambda).
"""

import json
import os
import re
import time

DETAIL_TYPE = "EC2 Image Builder Image State Change"
SOURCE = "aws.imagebuilder"
IMAGE_ARN = re.compile(r"^arn:aws[^:]*:imagebuilder:[^:]+:\d{12}:image/[A-Za-z0-9-_]+/\d+\.\d+\.\d+/\d+$")


class NotPromotable(Exception):
    """The event or the image does not describe an AMI this function may publish."""


def image_arn_of(event, prefix):
    """The image build version ARN of an AVAILABLE event for this recipe, or None for another status."""
    if event.get("source") != SOURCE or event.get("detail-type") != DETAIL_TYPE:
        raise NotPromotable(f"not an image state change: {event.get('source')} / {event.get('detail-type')}")
    status = ((event.get("detail") or {}).get("state") or {}).get("status")
    if status != "AVAILABLE":
        return None
    arns = [r for r in event.get("resources") or [] if IMAGE_ARN.match(r)]
    if len(arns) != 1:
        raise NotPromotable(f"expected one image build version ARN in resources, got {event.get('resources')}")
    if not arns[0].startswith(prefix):
        raise NotPromotable(f"{arns[0]} is not an image of {prefix}")
    return arns[0]


def ami_in_region(image, region):
    for ami in (image.get("outputResources") or {}).get("amis") or []:
        if ami.get("region") == region and ami.get("image", "").startswith("ami-"):
            return ami["image"]
    raise NotPromotable(f"image {image.get('arn')} has no AMI in {region}")


def execution_name(image_arn):
    """recipe-1-2-0-7 for .../image/recipe/1.2.0/7: unique per build, allowed by Step Functions."""
    tail = image_arn.split(":image/", 1)[1]
    return re.sub(r"[^A-Za-z0-9_-]", "-", tail)[:80]


def wait_for_value(ssm, name, value, attempts=30, delay=2.0, sleep=time.sleep):
    # aws:ec2:image values are validated asynchronously: PutParameter returning does not mean the
    # launch templates already resolve the new AMI.
    for _ in range(attempts):
        if ssm.get_parameter(Name=name)["Parameter"]["Value"] == value:
            return
        sleep(delay)
    raise NotPromotable(f"{name} does not read {value} after {attempts} attempts")


def publish(event, *, imagebuilder, ssm, sfn, region, parameter, state_machine_arn, prefix, sleep=time.sleep):
    image_arn = image_arn_of(event, prefix)
    if image_arn is None:
        return {"published": False, "status": event["detail"]["state"].get("status")}

    image = imagebuilder.get_image(imageBuildVersionArn=image_arn)["image"]
    if (image.get("state") or {}).get("status") != "AVAILABLE":
        raise NotPromotable(f"{image_arn} is {(image.get('state') or {}).get('status')}, not AVAILABLE")
    ami = ami_in_region(image, region)

    ssm.put_parameter(
        Name=parameter,
        Value=ami,
        Type="String",
        DataType="aws:ec2:image",
        Overwrite=True,
        Description=f"cloudflared AMI from {image_arn}",
    )
    wait_for_value(ssm, parameter, ami, sleep=sleep)

    name = execution_name(image_arn)
    try:
        execution = sfn.start_execution(
            stateMachineArn=state_machine_arn,
            name=name,
            input=json.dumps({"ami_id": ami, "image_arn": image_arn, "acceleration": "normal"}),
        )["executionArn"]
    except sfn.exceptions.ExecutionAlreadyExists:
        # The same event delivered again: its rollout already started.
        execution = f"{state_machine_arn.replace(':stateMachine:', ':execution:')}:{name}"
    return {"published": True, "ami_id": ami, "image_arn": image_arn, "execution": execution}


def handler(event, context):
    import boto3  # in the Lambda runtime; the unit tests pass their own clients

    result = publish(
        event,
        imagebuilder=boto3.client("imagebuilder"),
        ssm=boto3.client("ssm"),
        sfn=boto3.client("stepfunctions"),
        region=os.environ["AWS_REGION"],
        parameter=os.environ["AMI_PARAMETER"],
        state_machine_arn=os.environ["ROLLOUT_STATE_MACHINE_ARN"],
        prefix=os.environ["IMAGE_ARN_PREFIX"],
    )
    print(json.dumps(result))
    return result
