"""Forms of the course pages: a quiz's answers, a reflection, and what coordinators post
on the learners page (enrol someone by email address, complete an enrolment by hand).

A quiz is not a Django form: its questions come from the lesson's StreamField, so
`QuizAnswers` reads the posted radios and checkboxes itself, keeps every valid choice
(so that a missing answer loses nothing) and says which questions need an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from via_platform.learning.models import QuestionKind, Reflection

REFLECTION_MAX_LENGTH = Reflection._meta.get_field("text").max_length


def question_field(index: int) -> str:
    """The name of a question's inputs in the quiz form."""
    return f"q{index}"


@dataclass
class QuizAnswers:
    """What a learner posted for one quiz: per question index the chosen answer
    indexes, which questions were left unanswered, and whether anything posted made
    no sense (a tampered or outdated form)."""

    chosen: dict[int, list[int]] = field(default_factory=dict)
    unanswered: list[int] = field(default_factory=list)
    garbled: bool = False

    @classmethod
    def from_post(cls, quiz_value, data) -> QuizAnswers:
        result = cls()
        for index, question in enumerate(quiz_value["questions"]):
            count = len(question["answers"])
            picked: list[int] = []
            for raw in data.getlist(question_field(index)):
                raw = str(raw).strip()
                if not raw.isdecimal() or int(raw) >= count:  # not isdigit(): '²'
                    result.garbled = True
                    continue
                if int(raw) not in picked:
                    picked.append(int(raw))
            if question["kind"] != QuestionKind.MULTIPLE and len(picked) > 1:
                # One answer only: more than one is not something the form can send.
                result.garbled = True
                picked = []
            if picked:
                result.chosen[index] = sorted(picked)
            else:
                result.unanswered.append(index)
        return result

    @property
    def complete(self) -> bool:
        return not self.unanswered and not self.garbled

    def message(self) -> str:
        if self.garbled:
            return gettext(
                "Some answers could not be read, perhaps because the quiz changed. "
                "Check your choices and send them again."
            )
        return gettext("Answer every question. Your other choices are kept.")


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=REFLECTION_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class EnrolByEmailForm(forms.Form):
    """A coordinator enrols someone who already has an account with a verified address."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The person needs an account on this platform with a verified address."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        user = (
            get_user_model()
            .objects.filter(
                email__iexact=email,
                is_active=True,
                emailaddress__email__iexact=email,
                emailaddress__verified=True,
            )
            .first()
        )
        if user is None:
            raise forms.ValidationError(
                _(
                    "No account with a verified address has this email address. Ask the "
                    "person to sign up first, then enrol them."
                )
            )
        self.user = user
        return email


class EnrolmentChoiceForm(forms.Form):
    """Which learner a coordinator's button is for."""

    enrolment = forms.IntegerField(min_value=1)
