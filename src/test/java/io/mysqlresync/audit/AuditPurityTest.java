package io.mysqlresync.audit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The audit is core: plain values in, findings out, tested without a server, Slack or a scheduler. */
class AuditPurityTest {

    @Test
    void theAuditImportsNoJdbcSlackQuartzJacksonNorAnyAdapter() {
        JavaClasses audit = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.mysqlresync.audit");
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "java.sql..", "javax.sql..", "com.slack..", "org.quartz..", "com.fasterxml..",
                        "io.mysqlresync.mysql..", "io.mysqlresync.slack..", "io.mysqlresync.console..",
                        "io.mysqlresync.schedule..", "io.mysqlresync.store..", "io.mysqlresync.config..",
                        "io.mysqlresync.sandbox..", "io.mysqlresync.app..", "io.mysqlresync.incident..")
                .check(audit);
    }
}
