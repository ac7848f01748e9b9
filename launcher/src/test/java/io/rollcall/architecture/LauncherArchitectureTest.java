package io.rollcall.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The launcher owns the {@code ./rollcall} commands, the in-process broker, the one-process start and the tools
 * (bench, eval, load); nothing of the worker or the ingress depends on it (Maven enforces that: neither module
 * depends on this one).
 */
@AnalyzeClasses(packages = "io.rollcall",
        importOptions = {ImportOption.DoNotIncludeTests.class, LauncherArchitectureTest.NoTestJars.class})
class LauncherArchitectureTest {

    /** The worker's test fixtures reach this module as a test jar, which {@code DoNotIncludeTests} does not know. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    /** Over the whole application: schemas, ingress, worker and launcher together. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.rollcall.(**)").should().beFreeOfCycles();

    /** The in-process broker serves Spring and plain clients alike. */
    @ArchTest
    static final ArchRule brokerIsFreeOfSpring = noClasses()
            .that().resideInAPackage("io.rollcall.broker..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..");

    /** Benchmarks and evaluation measure the engine and the gallery as they are, without the service around them. */
    @ArchTest
    static final ArchRule toolsMeasureTheEngineNotTheService = noClasses()
            .that().resideInAnyPackage("io.rollcall.bench..", "io.rollcall.eval..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.rollcall.transport..");
}
