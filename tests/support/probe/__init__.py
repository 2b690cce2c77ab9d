"""A probe for live tests of the event machinery: a tiny app (installed by
tests.support.live_settings only) whose `ProbeFired` event has two after-commit handlers, each
writing one `ProbeEffect` row per run with the process that ran it. One row per (event,
handler) is exactly-once effect; a missing row is a lost delivery, a second one a doubled one."""
