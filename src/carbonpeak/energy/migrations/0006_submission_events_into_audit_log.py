"""Energy's own event log folded into the audit log (nothing lost): every step the audit log does not already
hold — a superseded revision, and any step of an installation older than the audit log — becomes an audit
event with its time, user and comment; then the second log is dropped."""

from django.db import migrations


def fold(apps, schema_editor):
    SubmissionEvent = apps.get_model("energy", "SubmissionEvent")
    AuditEvent = apps.get_model("core", "AuditEvent")
    held = set(
        AuditEvent.objects.filter(object_type="energy.EnergySubmission").values_list("object_id", "action")
    )
    for event in SubmissionEvent.objects.select_related("submission", "user").order_by("at", "id"):
        key = (str(event.submission_id), event.action)
        if key in held and event.action != "supersede":
            continue  # the audit log already records this step of this submission
        submission = event.submission
        folded = AuditEvent.objects.create(
            user=event.user,
            username=event.user.username if event.user else "系统",
            action=event.action,
            object_type="energy.EnergySubmission",
            object_id=str(submission.pk),
            object_repr=f"{submission.region} {submission.period} 第{submission.revision}版"[:300],
            comment=event.comment,
        )
        AuditEvent.objects.filter(pk=folded.pk).update(at=event.at)  # the step's own time
        held.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("energy", "0005_factor_kind_labels"),
        ("core", "0006_alter_auditevent_action"),
    ]

    operations = [
        migrations.RunPython(fold, migrations.RunPython.noop),
        migrations.DeleteModel(name="SubmissionEvent"),
    ]
