package io.mysqlresync.config;

import java.util.List;

/**
 * @param apiBaseUrl      Web API prefix, e.g. https://slack.com/api/ ; GovSlack, proxies and tests change it
 * @param allowedChannels slash commands from other channels are refused; empty allows every channel
 */
public record SlackSettings(Secret botToken, Secret appToken, String apiBaseUrl, String incidentChannel,
                            List<String> allowedChannels) {
    public static final String DEFAULT_API_BASE_URL = "https://slack.com/api/";
}
