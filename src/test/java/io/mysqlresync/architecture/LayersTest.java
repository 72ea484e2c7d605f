package io.mysqlresync.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of STYLE.md, checked on the compiled classes: the core is plain Java that tests
 * feed with captured status rows, adapters sit around it, and nothing goes in a circle.
 */
@AnalyzeClasses(packages = "io.mysqlresync", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    /**
     * The pure core. A new core package (verification, the loss ledger, ...) is one more entry;
     * an entry with no classes yet is fine.
     */
    static final String[] CORE = {
            "io.mysqlresync.replication..",
            "io.mysqlresync.diagnosis..",
            "io.mysqlresync.recovery..",
            "io.mysqlresync.incident..",
            "io.mysqlresync.verify..",
            "io.mysqlresync.ledger..",
            "io.mysqlresync.audit..",
            "io.mysqlresync.repair..",
    };

    @ArchTest
    static final ArchRule coreImportsNoSlackJdbcQuartzOrJackson = noClasses()
            .that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.slack..", "java.sql..", "javax.sql..", "org.quartz..", "com.fasterxml..",
                    "io.micrometer..", "com.sun.net.httpserver..")
            .because("the core is tested with plain values; adapters (slack, mysql, store, schedule, metrics) "
                    + "translate at its edge");

    @ArchTest
    static final ArchRule noPackageCycles = slices()
            .matching("io.mysqlresync.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule storeDoesNotReachIntoTheNodes = noClasses()
            .that().resideInAPackage("io.mysqlresync.store..")
            .should().dependOnClassesThat().resideInAPackage("io.mysqlresync.mysql..")
            .because("the state database is not a node: the app wires node access where it is needed");

    @ArchTest
    static final ArchRule configIsALeaf = noClasses()
            .that().resideInAPackage("io.mysqlresync.config..")
            .should().dependOnClassesThat(resideInAPackage("io.mysqlresync..")
                    .and(resideOutsideOfPackage("io.mysqlresync.config..")))
            .because("configuration is read and validated before anything else exists");
}
