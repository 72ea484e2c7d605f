package io.mysqlresync.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app manifest asks for exactly the bot scopes the code uses: every Web API method called in
 * the slack package needs a scope listed here, and no scope is listed that no call needs.
 */
class ManifestTest {

    /** Web API method (as the Java SDK names it) to the bot scope Slack requires for it. */
    private static final Map<String, String> SCOPE_OF = Map.of(
            "chatPostMessage", "chat:write",
            "chatUpdate", "chat:write",
            "chatPostEphemeral", "chat:write",
            "usergroupsUsersList", "usergroups:read",
            "conversationsInfo", "channels:read",
            "usersInfo", "users:read");

    private static final Pattern API_CALL = Pattern.compile(
            "\\.(chat[A-Z][A-Za-z]+|usergroups[A-Z][A-Za-z]+|conversations[A-Z][A-Za-z]+|users[A-Z][A-Za-z]+"
                    + "|reactions[A-Z][A-Za-z]+|views[A-Z][A-Za-z]+|files[A-Z][A-Za-z]+|pins[A-Z][A-Za-z]+)\\(");

    private static JsonNode manifest() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(Path.of("manifest/manifest.yml").toFile());
    }

    @Test
    void botScopesAreExactlyWhatTheCodeCalls() throws IOException {
        Set<String> needed = new TreeSet<>();
        needed.add("commands"); // the slash command
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/mysqlresync/slack"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = API_CALL.matcher(Files.readString(f));
                while (m.find()) {
                    String scope = SCOPE_OF.get(m.group(1));
                    assertTrue(scope != null, f + " calls " + m.group(1) + ": add its scope to this test and the manifest");
                    needed.add(scope);
                }
            }
        }
        Set<String> listed = new TreeSet<>();
        manifest().path("oauth_config").path("scopes").path("bot").forEach(s -> listed.add(s.asText()));
        assertEquals(needed, listed);
    }

    @Test
    void socketModeInteractivityAndTheCommandTheCodeListensFor() throws IOException {
        JsonNode m = manifest();
        assertTrue(m.path("settings").path("socket_mode_enabled").asBoolean());
        assertTrue(m.path("settings").path("interactivity").path("is_enabled").asBoolean());
        assertEquals(SlashCommand.COMMAND, m.path("features").path("slash_commands").get(0).path("command").asText());
    }
}
