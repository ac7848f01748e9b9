package io.rollcall.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The engine, gallery and evaluation are plain Java so the worker, the CLI and the benchmarks share them. */
@AnalyzeClasses(packages = "io.rollcall", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule engineIsFreeOfSpring = noClasses()
            .that().resideInAnyPackage("io.rollcall.engine..", "io.rollcall.gallery..", "io.rollcall.eval..", "io.rollcall.person..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..");

    @ArchTest
    static final ArchRule engineDoesNotReachUpIntoTheCli = noClasses()
            .that().resideInAnyPackage("io.rollcall.engine..", "io.rollcall.gallery..")
            .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.cli..", "io.rollcall.eval..", "io.rollcall.bench..");

    /** The in-process broker and the Kafka client settings serve Spring and plain clients alike. */
    @ArchTest
    static final ArchRule brokerIsFreeOfSpring = noClasses()
            .that().resideInAPackage("io.rollcall.broker..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..");

    @ArchTest
    static final ArchRule storageKnowsNothingOfTheEngine = noClasses()
            .that().resideInAnyPackage("io.rollcall.storage..", "io.rollcall.attendance..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.rollcall.engine..", "io.rollcall.gallery..", "io.rollcall.cli..", "io.rollcall.eval..", "io.rollcall.bench..");
}
