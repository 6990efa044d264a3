"""What happens when the last workflow task is approved (WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail imports this while it loads its own models, so nothing is imported here at
module level; the work is done in review.finish_workflow.
"""


def finish_workflow(workflow_state, user=None) -> None:
    from via_platform.library import review

    review.finish_workflow(workflow_state, user=user)
