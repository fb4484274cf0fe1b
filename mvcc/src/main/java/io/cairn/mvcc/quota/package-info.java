/**
 * The backend space quota and cluster alarms with etcd v3.5 semantics: {@link io.cairn.mvcc.quota.BackendQuota}
 * (etcd's quota.go), {@link io.cairn.mvcc.quota.Alarms} (etcd's v3alarm) and the
 * {@link io.cairn.mvcc.quota.QuotaGuard} that turns both into one decision per request. Imports the mvcc core
 * and the backend SPI only.
 *
 * <h2>Storage</h2>
 * The {@code alarm} bucket holds one key per active alarm, exactly as etcd: key = the {@code AlarmMember}
 * protobuf {@code {1: MemberID uint64, 2: Alarm enum (NONE 0, NOSPACE 1, CORRUPT 2)}}, value empty.
 *
 * <h2>The NOSPACE cycle</h2>
 * <pre>
 *   RPC    verdict = guard.admit(kind, cost)        REFUSE → answer NoSpace, propose Alarm(ACTIVATE, NOSPACE)
 *   apply  verdict = guard.beforeApply(kind, cost)  REFUSE → answer the error, change nothing
 *                                                   APPLY_AND_FAIL → apply, answer NoSpace, propose the alarm
 *          Alarm entry → alarms.activate(member, type) / alarms.deactivate(member, type)
 *   operator: compact, defrag (both still allowed), then disarm: writes are accepted again
 * </pre>
 * The quota compares the backend's size on disk, which grows at commits and shrinks only with a defrag.
 */
package io.cairn.mvcc.quota;
