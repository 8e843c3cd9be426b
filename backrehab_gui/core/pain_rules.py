"""Every threshold by which pain answers steer the program: its meaning and its source.

They live here, in one place, so the player, Today, the end-of-phase advice,
the report and docs/adherence.md ("Pain") cannot disagree. A change here is a
change of advice to people with back pain: change the docs with it.

Pain is rated on the 0-10 numerical rating scale (0 no pain, 10 the worst
imaginable), before and after each session and the day after a session.

Sources
-------
- Farrar JT, Young JP, LaMoreaux L, Werth JL, Poole RM. Clinical importance of
  changes in chronic pain intensity measured on an 11-point numerical pain
  rating scale. Pain. 2001;94(2):149-158. doi:10.1016/S0304-3959(01)00349-9
- Ostelo RWJG, Deyo RA, Stratford P, et al. Interpreting change scores for
  pain and functional status in low back pain: towards international consensus
  regarding minimal important change. Spine. 2008;33(1):90-94.
  doi:10.1097/BRS.0b013e31815e3a10
- Serlin RC, Mendoza TR, Nakamura Y, Edwards KR, Cleeland CS. When is cancer
  pain mild, moderate or severe? Grading pain severity by its interference with
  function. Pain. 1995;61(2):277-284. doi:10.1016/0304-3959(94)00178-H
- Boonstra AM, Stewart RE, Köke AJA, et al. Cut-off points for mild, moderate,
  and severe pain on the numeric rating scale for pain in patients with chronic
  musculoskeletal pain. Front Psychol. 2016;7:1466. doi:10.3389/fpsyg.2016.01466
- Silbernagel KG, Thomeé R, Eriksson BI, Karlsson J. Continued sports
  activity, using a pain-monitoring model, during rehabilitation in patients
  with Achilles tendinopathy. Am J Sports Med. 2007;35(6):897-906.
  doi:10.1177/0363546506298279
- guide-faq: the FAQ-style compilation among the program's source guides
  (routines/sources.yaml), which says to stop exercising and see a doctor when
  discomfort is more than light and lasts more than 15 minutes.
"""

from __future__ import annotations

PAIN_MIN = 0
PAIN_MAX = 10

# --- One session: before and after -----------------------------------------------------

RISE_LIMIT = 2
"""Pain after a session this many points above pain before it flags the session.

The smallest change in pain that people call meaningful is about 2 points or
30 % on the 0-10 scale (Farrar et al. 2001, chronic pain trials including low
back pain); the consensus for low back pain is 15 of 100 or 30 % (Ostelo et
al. 2008), which is 2 on a scale of whole numbers. Those studies measure change
over weeks of treatment; BackRehab applies the same size of change to one
session, as the smallest rise that matters to the person."""

HIGH_PAIN = 7
"""Pain after a session at or above this flags it, whatever it was before.

7-10 is the "severe" band of the 0-10 scale (Serlin et al. 1995)."""

MODERATE = (4, 6)
"""Pain after a session in this band (both ends included), without a flag, gets a
softer note naming the session's exercises and their easier variants.

Moderate pain: the bands used in practice are 1-3 mild, 4-6 moderate, 7-10
severe. Studies put the lower cut point between 4 and 6 (Serlin et al. 1995:
5; Boonstra et al. 2016: 6 in chronic musculoskeletal pain, 4 in people who
catastrophize less); BackRehab takes the lowest, so a 4 already gets the note."""

MORE_THAN_LIGHT = MODERATE[0]
"""guide-faq's "more than light" pain on the 0-10 scale: light is the mild band, 1-3, so
more than light starts where MODERATE does."""

LASTING_MINUTES = 15
"""Pain more than light that lasted longer than this during a session flags it, and
the person is told to stop and see a doctor (guide-faq). Asked after a session
whose pain after was MORE_THAN_LIGHT or more."""

# --- The day after -------------------------------------------------------------------------

NEXT_DAY_WITHIN = 1
"""Days after a session day on which the next-day check asks about it: the next day.

The pain-monitoring model lets pain rise a little with exercise as long as it
has settled by the next morning and does not grow from week to week
(Silbernagel et al. 2007; the model comes from knee and tendon rehabilitation).
An answer of "worse" therefore counts as a flag."""

# --- Progressions ---------------------------------------------------------------------------

HOLD_AFTER_FLAG_WEEKS = 1
"""A weekly step up waits when any of the previous this-many weeks had a flag or a
"worse" next-day answer: load grows only while pain settles (the pain-monitoring
model, Silbernagel et al. 2007). The later steps come as planned, so the dose
stays a step behind the plan and still reaches the rule's maximum, later."""

# --- End of a phase ------------------------------------------------------------------------

MEAN_RISE = 1.0
"""Mean pain after sessions in a phase's last week at least this much above its
first week counts as rising, and the advice is to repeat a week.

Our own choice, smaller than RISE_LIMIT because it is a mean over several
sessions and because moving on adds load."""

MIN_RATED_SESSIONS = 3
"""Sessions with a pain-after score a phase needs (one of them in its first week and
one in its last) before the advice can say pain is not rising. With fewer, the
advice says it lacks the information rather than advising to move on.

Our own choice: three is one week of phase sessions in the bundled program."""
