package io.rollcall.transport;

import io.rollcall.person.PersonRef;
import io.rollcall.schemas.RecognitionLogEvent;
import io.rollcall.storage.RecognitionLogEntry;
import io.rollcall.schemas.ShadowOutcome;
import io.rollcall.storage.RecognitionLogRepository;
import io.rollcall.storage.ShadowOutcomeRepository;
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
    private final ShadowOutcomeRepository shadows;
    private final ZoneId schoolZone;

    public RecognitionLogWriter(RecognitionLogRepository logs, ShadowOutcomeRepository shadows, ZoneId schoolZone) {
        this.logs = logs;
        this.shadows = shadows;
        this.schoolZone = schoolZone;
    }

    @Override
    public void onMessage(ConsumerRecord<String, RecognitionLogEvent> record) {
        RecognitionLogEvent e = record.value();
        if (e.getShadow() != null) {
            // A shadow candidate's second look at a recognition: not an attempt at the door, so no FaceRecognitionLogs row.
            ShadowOutcome s = e.getShadow();
            shadows.insert(new ShadowOutcomeRepository.Row(e.getEventId(), s.getRunId(), e.getRequestId(), s.getAgreed(),
                    s.getActiveSimilarity(), s.getActiveMs(), s.getCandidateSimilarity(), s.getCandidateMs(),
                    LocalDateTime.ofInstant(e.getOccurredAt(), schoolZone)));
            return;
        }
        PersonRef person = e.getPersonCode() == null ? null : new PersonRef(AvroMapping.domain(e.getPersonType()), e.getPersonCode());
        logs.insert(new RecognitionLogEntry(e.getEventId(), person, e.getConfidence(), e.getProcessingTimeMs(),
                e.getSourceImageName(), LocalDateTime.ofInstant(e.getOccurredAt(), schoolZone), e.getSuccess()));
    }
}
