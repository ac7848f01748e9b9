package io.rollcall.ingress.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The ingress is thin: HTTP in, Kafka out, and of Rollcall's own code it knows only the message contract. */
@AnalyzeClasses(packages = "io.rollcall", importOptions = ImportOption.DoNotIncludeTests.class)
class IngressArchitectureTest {

    /** The packages of the {@code schemas} module. */
    private static final String[] SCHEMAS = {"io.rollcall.schemas..", "io.rollcall.messaging..", "io.rollcall.config..",
            "io.rollcall.error..", "io.rollcall.imaging..", "io.rollcall.json..", "io.rollcall.person.."};

    @ArchTest
    static final ArchRule theIngressImportsOnlyTheContract = noClasses()
            .that().resideInAPackage("io.rollcall.ingress..")
            .should().dependOnClassesThat(resideInAPackage("io.rollcall..")
                    .and(not(resideInAPackage("io.rollcall.ingress..")))
                    .and(not(resideInAnyPackage(SCHEMAS))));

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.rollcall.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theEnvironmentIsReadOnlyByTheBinding = noClasses()
            .that().resideInAPackage("io.rollcall.ingress..")
            .and().doNotHaveFullyQualifiedName("io.rollcall.ingress.http.IngressSettings")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.rollcall.config.EnvSettings")
            .orShould().callMethod(System.class, "getenv")
            .orShould().callMethod(System.class, "getenv", String.class);
}
