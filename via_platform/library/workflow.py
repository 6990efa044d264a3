"""The kennisbank's moderation workflow: one Wagtail workflow with one review task,
attached to /kennisbank/ so that every practice under it passes review."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from via_platform.library.models import LibraryIndexPage, PracticeReviewTask

WORKFLOW_NAME = "Kennisbank: beoordeling"
TASK_NAME = "Beoordeling door coördinator of redactie"


@transaction.atomic
def ensure_review_workflow(index: LibraryIndexPage) -> Workflow:
    """Create the workflow and its task if missing and attach it to the library. Safe
    to call again; an editor who attached another workflow to the library keeps it."""
    task, _created = PracticeReviewTask.objects.get_or_create(name=TASK_NAME)
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created or not workflow.workflow_tasks.exists():
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    existing = WorkflowPage.objects.filter(page=index).first()
    if existing is None:
        WorkflowPage.objects.create(page=index, workflow=workflow)
        return workflow
    return existing.workflow
