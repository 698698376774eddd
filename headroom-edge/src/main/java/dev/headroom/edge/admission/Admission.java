package dev.headroom.edge.admission;

/** What {@link AdmissionController#acquire} answers: a {@link Permit} to do the work, or a {@link Rejection}. */
public sealed interface Admission permits Permit, Rejection {
}
