"""The physiotherapist's bench: edit routines, exercises and programs without YAML.

    window          RoutineEditor: the routine, its exercises, the live estimate
    picker          the exercise library with search and drawings
    item_editor     one exercise of the routine: dose, cues, note, rest
    dose_editor     a dose with the controls its kind needs
    fields          duration and count boxes that read what a routine file reads
    document        what is being edited, checked by the loader's rules, and saved
    exercise_form   a custom exercise (and its drawings)
    source_form     a new source for a dose (a paper, one's own clinical judgement)
    program_form    a program: phases, their sessions and weeks, daily blocks
    actions         handout and send-to-patient, shared with the Routines tab
"""
