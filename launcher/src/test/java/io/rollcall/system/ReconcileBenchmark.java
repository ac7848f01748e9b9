package io.rollcall.system;

import io.rollcall.broker.LocalKafkaBroker;
import io.rollcall.gallery.Gallery;
import io.rollcall.gallery.GalleryReconciler;
import io.rollcall.gallery.GallerySync;
import io.rollcall.messaging.KafkaClients;
import io.rollcall.messaging.KafkaTopics;
import io.rollcall.messaging.Topics;
import io.rollcall.storage.Database;
import io.rollcall.storage.DescriptorCodec;
import io.rollcall.storage.FaceDescriptor;
import io.rollcall.storage.GalleryRepository;
import io.rollcall.storage.StoreSettings;
import io.rollcall.transport.KafkaGalleryFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;

/**
 * Measures gallery reconciliation against a MariaDB database of N {@code FaceData} rows (real 512-value
 * descriptors of the {@code dev} pack): the database's print (the cost every worker pays every interval), a pass that
 * finds nothing, and a pass after other programs deleted, moved and inserted rows. Not a test; run by hand:
 *
 * <pre>
 * ./mvnw -q -pl launcher -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd launcher && java -Xmx3g --add-modules=jdk.incubator.vector -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.rollcall.system.ReconcileBenchmark jdbc:mariadb://127.0.0.1:3306/rollcall_bench_1m root 1000000
 * </pre>
 *
 * The database is filled once (rows beyond those present are added) and reused by later runs.
 */
public final class ReconcileBenchmark {
    private ReconcileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int rows = Integer.parseInt(args[2]);
        StoreSettings store = new StoreSettings(url, user, null, 4);
        try (Database db = Database.open(store)) {
            fill(db, rows);
            GalleryRepository repository = new GalleryRepository(db.access());
            long[] prints = new long[5];
            for (int i = 0; i < prints.length; i++) {
                long start = System.nanoTime();
                repository.print();
                prints[i] = (System.nanoTime() - start) / 1_000_000;
            }
            Arrays.sort(prints);
            System.out.printf("rows=%d print ms: min %d, median %d, max %d%n", rows, prints[0], prints[2], prints[4]);

            Path dir = Files.createTempDirectory("reconcile-bench");
            try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0)) {
                KafkaClients kafka = new KafkaClients(broker.bootstrapServers());
                Topics topics = new Topics();
                try (Admin admin = Admin.create(kafka.admin())) {
                    KafkaTopics.createMissing(admin, topics.specs(), Duration.ofSeconds(30));
                }
                Gallery gallery = new Gallery("dev", 512);
                long loadStart = System.nanoTime();
                try (GallerySync sync = new GallerySync(gallery, repository, new KafkaGalleryFeed(kafka, topics));
                     GalleryReconciler reconciler = new GalleryReconciler(sync, Duration.ZERO, Clock.systemUTC())) {
                    System.out.printf("initial load of %d samples: %d ms%n", gallery.size(), (System.nanoTime() - loadStart) / 1_000_000);
                    for (int i = 0; i < 3; i++) {
                        System.out.println("pass with no change: " + reconciler.reconcileNow());
                    }
                    try (Connection c = db.dataSource().getConnection()) {
                        c.createStatement().executeUpdate("DELETE FROM FaceData WHERE Id IN (11, 22, 33)");
                        c.createStatement().executeUpdate("UPDATE FaceData SET PersonCode = 'MOVED1' WHERE Id IN (44, 55)");
                        insert(c, 1, new Random(99));
                    }
                    System.out.println("pass after 3 deletes, 2 moves, 1 insert: " + reconciler.reconcileNow());
                    System.out.println("pass with no change: " + reconciler.reconcileNow());
                    System.out.printf("gallery now %d samples%n", gallery.size());
                }
            }
        }
    }

    private static void fill(Database db, int rows) throws Exception {
        long present;
        try (Connection c = db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM FaceData")) {
            rs.next();
            present = rs.getLong(1);
        }
        if (present >= rows) {
            return;
        }
        long start = System.nanoTime();
        Random random = new Random(present);
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (long done = present; done < rows; done += 1000) {
                insert(c, (int) Math.min(1000, rows - done), random);
                c.commit();
                if (done % 100_000 == 0) {
                    System.out.printf("filled %d rows in %d s%n", done, (System.nanoTime() - start) / 1_000_000_000);
                }
            }
        }
    }

    private static void insert(Connection c, int n, Random random) throws Exception {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO FaceData (PersonType, PersonCode, FaceDescriptor) VALUES ('student', ?, ?)")) {
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] v = new float[512];
                for (int d = 0; d < v.length; d++) {
                    v[d] = (float) random.nextGaussian();
                }
                String code = "P" + Long.toString(random.nextLong() & 0xFFFFFFFL, 36);
                codes.add(code);
                insert.setString(1, code.length() > 10 ? code.substring(0, 10) : code);
                insert.setString(2, DescriptorCodec.encode(new FaceDescriptor("dev", v)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
