"""Writes of the matching app, one module per capability; callers use ``services.<name>`` from here."""
from .agreements import (
    MAX_GOALS,
    MIN_GOALS,
    agreement_confirm,
    agreement_current,
    agreement_default_end,
    agreement_draft,
    agreement_may_confirm,
    agreement_may_draft,
    agreement_pending,
    agreement_reminders,
    goal_topics,
    tandems_without_agreement,
)
from .candidates import capacity_left, mentor_options, neighbour_map, person
from .cases import problem_report_handle, problem_report_path, reports_resolve, reports_take_over
from .checkins import (
    TOKEN_DAYS,
    checkin_answer,
    checkin_by_token,
    checkin_closed_because,
    checkin_goals,
    checkin_number_due,
    checkin_open,
    checkin_path,
    checkin_token,
    checkins_send,
)
from .decisions import (
    decision_check,
    open_proposals_of,
    pair_rule_check,
    pair_rule_set,
    proposal_choose,
    proposal_choose_refused_because,
    proposal_confirm,
    proposal_reject,
    proposals_close_for_person,
    proposals_confirm,
    proposals_reject,
)
from .errors import MatchingError
from .meetings import (
    meeting_actions,
    meeting_confirm,
    meeting_correct,
    meeting_counts_from,
    meeting_delete,
    meeting_edit,
    meeting_editable_until,
    meeting_log,
    meeting_note_set,
    meeting_object,
)
from .privacy import personal_data, personal_data_erase
from .purpose import member_tasks, tandem_purpose_daily
from .reminders import tandem_reminders
from .reviews import (
    certificate_pdf,
    certificate_reissue,
    review_answer,
    review_goals,
    review_open,
    reviews_open,
    tandems_end_planned,
)
from .risk import tandems_at_risk_page
from .runs import (
    match_run_claim,
    match_run_claimed_execute,
    match_run_create,
    match_run_execute,
    match_run_start,
    match_runs_recover,
)
from .statements import a2_expected_days, a2_mentors_behind, mentoring_statement_pdf, mentoring_time
from .tandems import problem_report, tandem_end, tandem_path, tandems_end_for_person

