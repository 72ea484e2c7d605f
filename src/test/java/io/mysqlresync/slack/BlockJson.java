package io.mysqlresync.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.util.json.GsonFactory;

import java.util.ArrayList;
import java.util.List;

/** Blocks as the SDK sends them to Slack (snake_case JSON), to check what Slack will see. */
final class BlockJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BlockJson() {
    }

    static JsonNode of(SlackMessage m) {
        try {
            return JSON.readTree(GsonFactory.createSnakeCase().toJson(m.blocks()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every text of every block, in order, joined: what a reader of the message sees. */
    static String allText(JsonNode blocks) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode t : blocks.findValues("text")) {
            if (t.isTextual()) sb.append(t.asText()).append('\n');
            else if (t.has("text")) sb.append(t.get("text").asText()).append('\n');
        }
        return sb.toString();
    }

    static List<JsonNode> ofType(JsonNode blocks, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode b : blocks) if (type.equals(b.path("type").asText())) out.add(b);
        return out;
    }

    static List<JsonNode> buttons(JsonNode blocks) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode b : ofType(blocks, "actions")) for (JsonNode e : b.path("elements")) out.add(e);
        return out;
    }

    /** The index of the first block of this type; fails when there is none. */
    static int indexOfType(JsonNode blocks, String type) {
        for (int i = 0; i < blocks.size(); i++) if (type.equals(blocks.get(i).path("type").asText())) return i;
        throw new AssertionError("no " + type + " block in " + blocks);
    }

    /** The index of the first block whose text contains {@code needle}; fails when there is none. */
    static int indexOfText(JsonNode blocks, String needle) {
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode one = JSON.createArrayNode().add(blocks.get(i));
            if (allText(one).contains(needle)) return i;
        }
        throw new AssertionError("no block containing '" + needle + "'");
    }

    /** The blocks from {@code index} on. */
    static JsonNode from(JsonNode blocks, int index) {
        com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        for (int i = index; i < blocks.size(); i++) out.add(blocks.get(i));
        return out;
    }
}
