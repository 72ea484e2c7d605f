package io.mysqlresync.slack;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.DividerBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.BlockElement;

import java.util.ArrayList;
import java.util.List;

import static io.mysqlresync.slack.BlockKit.MAX_BLOCKS;
import static io.mysqlresync.slack.BlockKit.MAX_CONTEXT_TEXT;
import static io.mysqlresync.slack.BlockKit.MAX_HEADER_TEXT;
import static io.mysqlresync.slack.BlockKit.MAX_SECTION_TEXT;
import static io.mysqlresync.slack.BlockKit.truncate;

/**
 * Collects the blocks of one message and keeps them inside Block Kit's limits: long sections
 * are split (or cut, with a pointer to the full text), code blocks are split into several fenced
 * sections, and a message of more than 50 blocks loses first its evidence (the part after the
 * buttons), then its least important middle blocks, never its header or its buttons, with a
 * line saying where the full text is.
 */
final class BlockList {

    /** One code line can never fill a section on its own: room for the fences and a short intro. */
    static final int MAX_CODE_LINE = 1500;
    private static final int MAX_CODE_INTRO = 1000;
    private static final String FENCE = "```";

    private final List<LayoutBlock> body = new ArrayList<>();
    private final List<LayoutBlock> tail = new ArrayList<>();
    private final List<LayoutBlock> evidence = new ArrayList<>();
    private String evidencePointer = "";
    private List<LayoutBlock> current = body;
    private final String truncatedPointer;

    /** @param truncatedPointer mrkdwn saying where the full text is, e.g. "… truncated, full plan: `/mysql-resync plan x`" */
    BlockList(String truncatedPointer) {
        this.truncatedPointer = truncatedPointer;
    }

    BlockList header(String text) {
        current.add(HeaderBlock.builder()
                .text(PlainTextObject.builder().text(truncate(text, MAX_HEADER_TEXT)).emoji(true).build())
                .build());
        return this;
    }

    /** A mrkdwn section; longer than Slack allows, it is cut with the pointer to the full text. */
    BlockList section(String mrkdwn) {
        if (mrkdwn == null || mrkdwn.isBlank()) return this;
        current.add(sectionBlock(fit(mrkdwn)));
        return this;
    }

    /** A mrkdwn text that may be long (a list): split at line ends into as many sections as needed. */
    BlockList sections(String mrkdwn) {
        if (mrkdwn == null || mrkdwn.isBlank()) return this;
        StringBuilder chunk = new StringBuilder();
        for (String line : mrkdwn.split("\n", -1)) {
            String l = truncate(line, MAX_SECTION_TEXT - 1);
            if (chunk.length() > 0 && chunk.length() + 1 + l.length() > MAX_SECTION_TEXT) {
                current.add(sectionBlock(chunk.toString()));
                chunk.setLength(0);
            }
            if (chunk.length() > 0) chunk.append('\n');
            chunk.append(l);
        }
        if (!chunk.toString().isBlank()) current.add(sectionBlock(chunk.toString()));
        return this;
    }

    /**
     * Lines in a fixed-width code block, after an optional mrkdwn intro. Lines must be escaped
     * already ({@link BlockKit#escapeCode}). Split into several fenced sections when long.
     */
    BlockList code(String intro, List<String> lines) {
        if (lines.isEmpty()) return section(intro);
        StringBuilder chunk = new StringBuilder();
        if (intro != null && !intro.isBlank()) chunk.append(truncate(intro, MAX_CODE_INTRO)).append('\n');
        chunk.append(FENCE).append('\n');
        int inChunk = 0;
        for (String line : lines) {
            String l = truncate(line, MAX_CODE_LINE);
            if (inChunk > 0 && chunk.length() + l.length() + 1 + FENCE.length() > MAX_SECTION_TEXT) {
                current.add(sectionBlock(chunk.append(FENCE).toString()));
                chunk.setLength(0);
                chunk.append(FENCE).append('\n');
                inChunk = 0;
            }
            chunk.append(l).append('\n');
            inChunk++;
        }
        current.add(sectionBlock(chunk.append(FENCE).toString()));
        return this;
    }

    BlockList context(String mrkdwn) {
        current.add(contextBlock(mrkdwn));
        return this;
    }

    BlockList divider() {
        current.add(new DividerBlock());
        return this;
    }

    /**
     * Everything added from now on is the message's end: the buttons, or the outcome of a
     * decision. It survives any truncation: a plan that cannot be clicked is no plan, and an
     * outcome nobody can read is worse.
     */
    BlockList pinned() {
        current = tail;
        return this;
    }

    /**
     * Everything added from now on is the evidence, below the buttons: the status fields, the
     * full error texts. What a person decides on comes first; the evidence is what a truncation
     * gives up first, for {@code pointer} (where the full evidence is).
     */
    BlockList evidence(String pointer) {
        evidencePointer = pointer;
        current = evidence;
        return this;
    }

    BlockList actions(String blockId, List<BlockElement> elements) {
        if (!elements.isEmpty()) {
            current.add(ActionsBlock.builder().blockId(blockId).elements(List.copyOf(elements)).build());
        }
        return this;
    }

    int size() {
        return body.size() + tail.size() + evidence.size();
    }

    List<LayoutBlock> build() {
        if (size() <= MAX_BLOCKS) {
            List<LayoutBlock> out = new ArrayList<>(body);
            out.addAll(tail);
            out.addAll(evidence);
            return out;
        }
        if (!evidence.isEmpty() && body.size() + tail.size() + 1 < MAX_BLOCKS) {
            // The decision and the buttons fit: the evidence gets the room that is left.
            List<LayoutBlock> out = new ArrayList<>(body);
            out.addAll(tail);
            out.addAll(evidence.subList(0, MAX_BLOCKS - out.size() - 1));
            out.add(contextBlock(evidencePointer));
            return out;
        }
        // The pinned end is a few blocks; should it ever grow, it gets at most half the message.
        List<LayoutBlock> end = tail;
        if (end.size() > MAX_BLOCKS / 2) {
            end = new ArrayList<>(tail.subList(0, MAX_BLOCKS / 2 - 1));
            end.add(tail.get(tail.size() - 1));
        }
        // Keep the beginning (header, node table, first findings and options) and say where the rest is.
        int pointers = evidence.isEmpty() ? 1 : 2;
        int keep = Math.min(body.size(), MAX_BLOCKS - end.size() - pointers);
        List<LayoutBlock> out = new ArrayList<>(body.subList(0, keep));
        out.add(contextBlock(truncatedPointer));
        out.addAll(end);
        if (!evidence.isEmpty()) out.add(contextBlock(evidencePointer));
        return out;
    }

    private String fit(String mrkdwn) {
        if (mrkdwn.length() <= MAX_SECTION_TEXT) return mrkdwn;
        String pointer = "\n" + truncatedPointer;
        String cut = mrkdwn.substring(0, MAX_SECTION_TEXT - pointer.length() - FENCE.length() - 2);
        // A cut inside a code fence would leave it open and swallow the pointer.
        if (countFences(cut) % 2 == 1) cut = cut + "\n" + FENCE;
        return cut + pointer;
    }

    private static int countFences(String s) {
        int n = 0;
        for (int i = s.indexOf(FENCE); i >= 0; i = s.indexOf(FENCE, i + FENCE.length())) n++;
        return n;
    }

    private static SectionBlock sectionBlock(String mrkdwn) {
        return SectionBlock.builder().text(MarkdownTextObject.builder().text(mrkdwn).build()).build();
    }

    private static ContextBlock contextBlock(String mrkdwn) {
        return ContextBlock.builder()
                .elements(List.of(MarkdownTextObject.builder().text(truncate(mrkdwn, MAX_CONTEXT_TEXT)).build()))
                .build();
    }
}
