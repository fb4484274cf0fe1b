package io.cairn.raft.interaction;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed interaction script (the subset of cockroachdb's datadriven format etcd-raft uses):
 * <pre>
 * # comments and blank lines between blocks are kept as they are
 * command arg key=value key=(1 2 3)
 * optional input lines
 * ----
 * expected output (no blank lines: a block ends at the first one)
 * </pre>
 * {@link #render} writes a script back with other outputs; that is how {@code -Dcairn.raft.rewrite=true} works.
 */
final class Script {
    /** One command with its input and expected output; {@code preamble} holds the comment lines before it. */
    record Block(List<String> preamble, int line, String command, List<String> input, List<String> expected) {
    }

    final List<Block> blocks;
    final List<String> trailer;

    private Script(List<Block> blocks, List<String> trailer) {
        this.blocks = blocks;
        this.trailer = trailer;
    }

    static Script parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        List<String> preamble = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                preamble.add(line);
                i++;
                continue;
            }
            int start = i + 1;
            List<String> input = new ArrayList<>();
            i++;
            while (i < lines.size() && !lines.get(i).equals("----")) {
                input.add(lines.get(i++));
            }
            if (i == lines.size()) {
                throw new IllegalArgumentException("line " + start + ": command without ---- separator: " + line);
            }
            i++;
            List<String> expected = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).isEmpty()) {
                expected.add(lines.get(i++));
            }
            blocks.add(new Block(List.copyOf(preamble), start, line, input, expected));
            preamble.clear();
        }
        return new Script(blocks, List.copyOf(preamble));
    }

    /** The script text with {@code outputs.get(i)} as the output of block {@code i}. */
    String render(List<List<String>> outputs) {
        StringBuilder out = new StringBuilder();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            block.preamble().forEach(line -> out.append(line).append('\n'));
            out.append(block.command()).append('\n');
            block.input().forEach(line -> out.append(line).append('\n'));
            out.append("----\n");
            outputs.get(b).forEach(line -> out.append(line).append('\n'));
        }
        trailer.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** The script as parsed, expected outputs included. */
    String render() {
        List<List<String>> expected = new ArrayList<>();
        blocks.forEach(block -> expected.add(block.expected()));
        return render(expected);
    }
}
