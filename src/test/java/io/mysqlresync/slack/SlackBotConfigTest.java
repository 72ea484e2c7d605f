package io.mysqlresync.slack;

import com.slack.api.SlackConfig;
import io.mysqlresync.config.SlackSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SlackBotConfigTest {

    @Test
    void theWebApiPrefixIsTheConfiguredBaseUrlWithTheTrailingSlashTheSdkNeeds() {
        assertEquals("https://slack-gov.com/api/",
                SlackBot.slackConfig("https://slack-gov.com/api").getMethodsEndpointUrlPrefix());
        assertEquals("https://slack.com/api/", SlackBot.slackConfig("https://slack.com/api/").getMethodsEndpointUrlPrefix());
        assertEquals(SlackSettings.DEFAULT_API_BASE_URL, SlackBot.slackConfig("  ").getMethodsEndpointUrlPrefix());
        assertEquals(SlackSettings.DEFAULT_API_BASE_URL, SlackBot.slackConfig(null).getMethodsEndpointUrlPrefix());
    }

    @Test
    void aLoopbackSlackIsNeverReachedThroughAProxy() {
        SlackConfig local = SlackBot.slackConfig("http://127.0.0.1:8080/api/");
        assertNull(local.getProxyUrl());
        assertNull(SlackBot.slackConfig("http://localhost:8080/api/").getProxyUrl());
    }
}
