package dev.headroom.data.replica;

/**
 * What the router did, counted since it was built.
 *
 * @param replicaReads      reads served by a replica
 * @param primaryReads      reads served by the primary (asked for, fallen back to, or admitted under protection)
 * @param notCovered        read-your-writes reads that no replica covered in time, sent to the primary
 * @param waited            read-your-writes reads that waited for a replica to replay their token, and got it
 * @param failovers         reads whose replica connection broke and that ran again elsewhere
 * @param protectedPrimary  reads admitted to the primary while every replica lagged (within the share)
 * @param staleServed       reads served by a lagging replica while every replica lagged (past the share)
 * @param shed              reads refused while every replica lagged (past the share)
 */
public record RouterStats(long replicaReads, long primaryReads, long notCovered, long waited, long failovers,
                          long protectedPrimary, long staleServed, long shed) {
}
