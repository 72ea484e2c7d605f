package io.mysqlresync.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapping for what the state database keeps as text: recovery plans (with their
 * diagnosis and the cluster status it was drawn from) and lag samples.
 */
public final class StateJson {

    private StateJson() {
    }

    public static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                // ISO-8601 with nanoseconds: exact, and readable by a DBA looking at the row.
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Only record components are state. A convenience like NodeStatus.reachable()
                // renamed to isReachable() must not start being written, and then refused on read.
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                // During a rolling upgrade an older replica reads plans written by a newer one.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return m;
    }
}
