package io.cairn.raft.interaction;

import io.cairn.raft.RaftLogger;
import io.cairn.raft.ReadOnlyOption;
import io.cairn.raft.StepResult;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The script commands (etcd rafttest's {@code interaction_env_handler_*.go}, one method each instead of one file
 * each: they are a few lines apiece). Arguments are positional ({@code campaign 1}) or {@code key=value}, where a
 * value may be a list ({@code voters=(1 2 3)}).
 * <pre>
 *   add-nodes N voters=(..) [learners=(..)] [index=I] [prevote=B] [checkquorum=B] [read-only=lease]
 *   campaign ID | propose ID DATA | read-index ID CONTEXT | transfer-leadership from=ID to=ID
 *   propose-conf-change ID [transition=auto|implicit|explicit] [v1=true], operations (v2 l3 r1) as input;
 *                       no operations = the empty change that leaves a joint config
 *   process-ready [ID..] | deliver-msgs [ID..] [drop=true] | stabilize [ID..]
 *   tick-election ID | tick-heartbeat ID | partition ID.. | heal
 *   compact ID INDEX | status ID | raft-log ID | log-level none|debug|info|warn
 * </pre>
 */
final class Commands {
    private final InteractionEnv env;

    Commands(InteractionEnv env) {
        this.env = env;
    }

    /** Runs one block; returns its output ({@code ok} if it printed nothing). */
    List<String> run(String commandLine, List<String> input) {
        List<String> tokens = tokenize(commandLine);
        String name = tokens.get(0);
        List<String> positional = new ArrayList<>();
        Map<String, String> named = new HashMap<>();
        for (String token : tokens.subList(1, tokens.size())) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                named.put(token.substring(0, eq), token.substring(eq + 1));
            } else {
                positional.add(token);
            }
        }
        dispatch(name, positional, named, input);
        List<String> out = env.takeOutput();
        return out.isEmpty() ? List.of("ok") : out;
    }

    private void dispatch(String name, List<String> args, Map<String, String> named, List<String> input) {
        switch (name) {
            case "add-nodes" -> addNodes(Integer.parseInt(args.get(0)), named);
            case "campaign" -> env.member(id(args, 0)).node.campaign();
            case "propose" -> printDropped(env.member(id(args, 0)).node.propose(bytes(args.get(1))));
            case "propose-conf-change" -> proposeConfChange(id(args, 0), named, input);
            case "read-index" -> env.member(id(args, 0)).node.readIndex(bytes(args.get(1)));
            case "transfer-leadership" -> env.member(Long.parseLong(named.get("from"))).node
                .transferLeadership(Long.parseLong(named.get("to")));
            case "process-ready" -> ids(args).forEach(env::processReady);
            case "deliver-msgs" -> ids(args).forEach(id -> env.deliver(id, Boolean.parseBoolean(named.get("drop"))));
            case "stabilize" -> env.stabilize(ids(args));
            case "tick-election" -> env.tick(id(args, 0), InteractionEnv.ELECTION_TICKS);
            case "tick-heartbeat" -> env.tick(id(args, 0), InteractionEnv.HEARTBEAT_TICKS);
            case "partition" -> args.forEach(id -> env.partitioned.add(Long.parseLong(id)));
            case "heal" -> env.partitioned.clear();
            case "compact" -> compact(id(args, 0), Long.parseLong(args.get(1)));
            case "status" -> status(id(args, 0));
            case "raft-log" -> raftLog(id(args, 0));
            case "log-level" -> env.setLogLevel(args.get(0).equals("none") ? null
                : RaftLogger.Level.valueOf(args.get(0).toUpperCase(java.util.Locale.ROOT)));
            default -> throw new IllegalArgumentException("unknown command " + name);
        }
    }

    private void addNodes(int count, Map<String, String> named) {
        ConfState.Builder cs = ConfState.newBuilder().setAutoLeave(false);
        list(named.get("voters")).forEach(cs::addVoters);
        list(named.get("learners")).forEach(cs::addLearners);
        long index = Long.parseLong(named.getOrDefault("index", "0"));
        ReadOnlyOption readOnly = "lease".equals(named.get("read-only")) ? ReadOnlyOption.LEASE_BASED
            : ReadOnlyOption.SAFE;
        for (int i = 0; i < count; i++) {
            long id = env.members.size() + 1L;
            env.addNode(id, cs.build(), index, Boolean.parseBoolean(named.getOrDefault("prevote", "false")),
                Boolean.parseBoolean(named.getOrDefault("checkquorum", "false")), readOnly);
        }
    }

    private void proposeConfChange(long id, Map<String, String> named, List<String> input) {
        ConfChangeTransition transition = switch (named.getOrDefault("transition", "auto")) {
            case "implicit" -> ConfChangeTransition.ConfChangeTransitionJointImplicit;
            case "explicit" -> ConfChangeTransition.ConfChangeTransitionJointExplicit;
            default -> ConfChangeTransition.ConfChangeTransitionAuto;
        };
        ConfChangeV2.Builder cc = ConfChangeV2.newBuilder().setTransition(transition);
        for (String line : input) {
            for (String op : line.trim().split("\\s+")) {
                if (!op.isEmpty()) {
                    cc.addChanges(single(op));
                }
            }
        }
        StepResult result;
        if (Boolean.parseBoolean(named.get("v1"))) {
            ConfChangeSingle only = cc.getChanges(0);
            result = env.member(id).node.proposeConfChange(ConfChange.newBuilder().setType(only.getType())
                .setNodeId(only.getNodeId()).build());
        } else {
            result = env.member(id).node.proposeConfChange(cc.build());
        }
        printDropped(result);
    }

    private static ConfChangeSingle single(String op) {
        ConfChangeType type = switch (op.charAt(0)) {
            case 'v' -> ConfChangeType.ConfChangeAddNode;
            case 'l' -> ConfChangeType.ConfChangeAddLearnerNode;
            case 'r' -> ConfChangeType.ConfChangeRemoveNode;
            case 'u' -> ConfChangeType.ConfChangeUpdateNode;
            default -> throw new IllegalArgumentException("unknown conf change op " + op);
        };
        return ConfChangeSingle.newBuilder().setType(type).setNodeId(Long.parseLong(op.substring(1))).build();
    }

    private void printDropped(StepResult result) {
        if (result != StepResult.OK && result != StepResult.FORWARDED) {
            env.print("proposal: " + result);
        }
    }

    /** The application snapshots its applied state at {@code index} and compacts its log up to it. */
    private void compact(long id, long index) {
        InteractionEnv.Member m = env.member(id);
        m.storage.createSnapshot(index, m.confState, new byte[0]);
        m.storage.compact(index);
        raftLog(id);
    }

    private void status(long id) {
        io.cairn.raft.Status st = env.member(id).node.status();
        env.print(id + ": " + st.softState().role() + " term=" + st.hardState().getTerm() + " lead="
            + st.softState().leaderId() + " commit=" + st.hardState().getCommit() + " applied=" + st.applied()
            + " config: " + Changer.describe(env.member(id).confState));
        st.progress().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            io.cairn.raft.Status.PeerProgress pr = e.getValue();
            env.print(e.getKey() + ": " + pr.state() + " match=" + pr.match() + " next=" + pr.next()
                + (pr.learner() ? " learner" : "") + (pr.paused() ? " paused" : "")
                + (pr.inflight() > 0 ? " inflight=" + pr.inflight() : ""));
        });
    }

    private void raftLog(long id) {
        InteractionEnv.Member m = env.member(id);
        List<Entry> entries = m.storage.entries(m.storage.firstIndex(), m.storage.lastIndex() + 1, Long.MAX_VALUE);
        if (entries.isEmpty()) {
            env.print("log is empty: first index=" + m.storage.firstIndex() + ", last index="
                + m.storage.lastIndex());
        }
        entries.forEach(e -> env.print(Describe.entry(e)));
    }

    private List<Long> ids(List<String> args) {
        if (args.isEmpty()) {
            return new ArrayList<>(env.members.keySet());
        }
        return args.stream().map(Long::parseLong).toList();
    }

    private static long id(List<String> args, int position) {
        return Long.parseLong(args.get(position));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code (1 2 3)} or {@code (1,2,3)} or {@code 1}; null gives an empty list. */
    private static List<Long> list(String value) {
        if (value == null) {
            return List.of();
        }
        String inner = value.replace("(", "").replace(")", "").replace(",", " ").trim();
        return inner.isEmpty() ? List.of() : java.util.Arrays.stream(inner.split("\\s+")).map(Long::parseLong)
            .toList();
    }

    /** Splits on spaces outside parentheses: {@code add-nodes 3 voters=(1 2 3)} has three tokens. */
    static List<String> tokenize(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (char c : line.trim().toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ' ' && depth == 0) {
                if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
