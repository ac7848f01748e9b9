package io.rollcall.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The worker's layout, as rules that fail the build when broken:
 * <ul>
 *   <li>{@code transport} is the Kafka adapter for requests, replies, gallery events and recognition logs: the only
 *       package besides {@code bulk} (whose jobs are Kafka messages) that sees the Avro classes;</li>
 *   <li>the use cases live in feature packages ({@code enroll}, {@code recognize}, {@code attendance},
 *       {@code gallery}, {@code health}, {@code reembed}, {@code migrate}) over {@code storage}, {@code inference},
 *       {@code calibration} and the Spring-free {@code engine};</li>
 *   <li>{@code worker} is the one wiring and the one binding of the environment ({@code WorkerConfig}).</li>
 * </ul>
 */
@AnalyzeClasses(packages = "io.rollcall", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Every package of this module. */
    static final String[] WORKER = {"io.rollcall.attendance..", "io.rollcall.backup..", "io.rollcall.bulk..", "io.rollcall.calibration..",
            "io.rollcall.engine..", "io.rollcall.enroll..", "io.rollcall.gallery..", "io.rollcall.health..",
            "io.rollcall.inference..", "io.rollcall.metrics..", "io.rollcall.migrate..", "io.rollcall.packs..", "io.rollcall.recognize..",
            "io.rollcall.reembed..", "io.rollcall.storage..", "io.rollcall.transport..", "io.rollcall.worker.."};

    /** Each package is its own slice, sub-packages included (engine.quality is not part of engine). */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.rollcall.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule avroOnlyInTheTransportAdapterAndBulkJobs = noClasses()
            .that().resideInAnyPackage(WORKER)
            .and().resideOutsideOfPackages("io.rollcall.transport..", "io.rollcall.bulk..")
            .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.schemas..", "org.apache.avro..");

    @ArchTest
    static final ArchRule kafkaOnlyInTheAdapters = noClasses()
            .that().resideInAnyPackage(WORKER)
            .and().resideOutsideOfPackages("io.rollcall.transport..", "io.rollcall.bulk..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..");

    @ArchTest
    static final ArchRule engineIsFreeOfSpringAndOfTheService = noClasses()
            .that().resideInAnyPackage("io.rollcall.engine..", "io.rollcall.gallery..", "io.rollcall.person..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
            .orShould().dependOnClassesThat().resideInAnyPackage("io.rollcall.enroll..", "io.rollcall.recognize..",
                    "io.rollcall.transport..", "io.rollcall.worker..", "io.rollcall.bulk..", "io.rollcall.inference..");

    /** Arithmetic over scores, shared by {@code eval} (launcher) and the migration: it needs nothing but the JDK. */
    @ArchTest
    static final ArchRule calibrationIsPlainArithmetic = noClasses()
            .that().resideInAPackage("io.rollcall.calibration..")
            .should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.rollcall.calibration..");

    @ArchTest
    static final ArchRule storageKnowsNothingOfTheEngineOrTheUseCases = noClasses()
            .that().resideInAnyPackage("io.rollcall.storage..", "io.rollcall.attendance..")
            .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.engine..", "io.rollcall.gallery..",
                    "io.rollcall.enroll..", "io.rollcall.recognize..", "io.rollcall.transport..", "io.rollcall.worker..");

    /** Use cases get their repositories and settings from the wiring; the environment is read in one place. */
    @ArchTest
    static final ArchRule theEnvironmentIsReadOnlyByTheBinding = noClasses()
            .that().resideInAnyPackage(WORKER)
            .and().doNotHaveFullyQualifiedName("io.rollcall.worker.WorkerConfig")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.rollcall.config.EnvSettings")
            .orShould().callMethod(System.class, "getenv")
            .orShould().callMethod(System.class, "getenv", String.class);
}
