package io.mysqlresync.slack;

import com.slack.api.model.block.LayoutBlock;

import java.util.List;

/**
 * A message ready for chat.postMessage / chat.update.
 *
 * @param text   the fallback: what notifications, screen readers and old clients show. Slack
 *               wants it whenever blocks are sent, so it is never empty.
 * @param blocks Block Kit blocks, within Slack's limits (see {@link BlockKit})
 */
public record SlackMessage(String text, List<LayoutBlock> blocks) {
    public SlackMessage {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a Slack message needs a fallback text");
        }
        blocks = List.copyOf(blocks);
    }
}
