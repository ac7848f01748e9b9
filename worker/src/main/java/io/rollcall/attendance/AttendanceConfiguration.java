package io.rollcall.attendance;

import io.rollcall.storage.DatabaseAccess;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring wiring for attendance: the recorder over the storage layer's database, settings from the environment. */
@Configuration(proxyBeanMethods = false)
public class AttendanceConfiguration {

    /** Settings from an {@link AttendanceSettings} bean when the context has one, else from the environment. */
    @Bean
    public AttendanceRecorder attendanceRecorder(DatabaseAccess access, ObjectProvider<AttendanceSettings> settings) {
        return new AttendanceRecorder(access, settings.getIfAvailable(AttendanceSettings::fromEnvironment));
    }
}
