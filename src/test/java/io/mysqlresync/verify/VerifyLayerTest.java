package io.mysqlresync.verify;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The verification core is tested with plain values: it knows no JDBC, Slack, Quartz or Jackson, nor our adapters. */
class VerifyLayerTest {

    @Test
    void theVerifyCoreDependsOnTheJdkOnly() {
        JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.mysqlresync.verify");
        classes().that().resideInAPackage("io.mysqlresync.verify")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.mysqlresync.verify", "java..")
                .check(core);
    }
}
