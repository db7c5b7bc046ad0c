package dev.latchkey.core.audit;

/** Whether the audited attempt succeeded. */
public enum Outcome {
    SUCCESS,
    FAILURE
}
