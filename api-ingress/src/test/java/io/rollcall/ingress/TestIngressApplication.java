package io.rollcall.ingress;

import io.rollcall.ingress.bulk.FakeBulkJobs;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The ingress's HTTP side exactly as production wires it, with {@link FakeFaceGateway} and {@link FakeBulkJobs} where
 * Kafka would be.
 * Deliberately not a {@code @Configuration}: {@link IngressApplication}'s component scan, which covers this package
 * on the test classpath, must not find it ({@link IngressApplicationStartTest}).
 */
@EnableAutoConfiguration
@Import(IngressWebConfiguration.class)
public class TestIngressApplication {

    @Bean
    FakeFaceGateway faceGateway() {
        return new FakeFaceGateway();
    }

    @Bean
    FakeWorkerRoster workerRoster() {
        return new FakeWorkerRoster();
    }

    @Bean
    FakeBulkJobs bulkJobs() {
        return new FakeBulkJobs();
    }
}
