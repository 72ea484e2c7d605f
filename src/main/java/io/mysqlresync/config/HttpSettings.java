package io.mysqlresync.config;

/**
 * The bot's HTTP port for /metrics, /healthz and /readyz ({@code run} mode only).
 *
 * @param bindAddress the address to listen on; the default is loopback, so a bot started
 *                    without thinking about it exposes nothing to the network (containers set
 *                    0.0.0.0 so the kubelet and Prometheus reach it)
 * @param port        0 picks any free port
 */
public record HttpSettings(String bindAddress, int port) {
}
