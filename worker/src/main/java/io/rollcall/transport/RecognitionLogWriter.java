package io.rollcall.transport;

import io.rollcall.person.PersonRef;
import io.rollcall.schemas.RecognitionLogEvent;
import io.rollcall.storage.RecognitionLogEntry;
import io.rollcall.storage.RecognitionLogRepository;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;

/**
 * Writes recognition-log events into {@code FaceRecognitionLogs}. The offset is committed only after the row is
 * written, and a database failure is retried (with back-off) until it succeeds, so an outage delays rows but loses
 * none; the event id makes a repeated write a no-op.
 */
public final class RecognitionLogWriter implements MessageListener<String, RecognitionLogEvent> {
    private final RecognitionLogRepository logs;
    private final ZoneId schoolZone;

    public RecognitionLogWriter(RecognitionLogRepository logs, ZoneId schoolZone) {
        this.logs = logs;
        this.schoolZone = schoolZone;
    }

    @Override
    public void onMessage(ConsumerRecord<String, RecognitionLogEvent> record) {
        RecognitionLogEvent e = record.value();
        PersonRef person = e.getPersonCode() == null ? null : new PersonRef(AvroMapping.domain(e.getPersonType()), e.getPersonCode());
        logs.insert(new RecognitionLogEntry(e.getEventId(), person, e.getConfidence(), e.getProcessingTimeMs(),
                e.getSourceImageName(), LocalDateTime.ofInstant(e.getOccurredAt(), schoolZone), e.getSuccess()));
    }
}
