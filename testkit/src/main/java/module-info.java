/** The aio4j TCK: abstract verification classes a backend's tests extend. */
module dev.aio4j.tck {
    requires transitive dev.aio4j;
    requires transitive org.junit.jupiter.api;
    requires com.tngtech.archunit;
    requires lincheck; // automatic module: Lincheck's jar names none
    requires java.logging; // the TCK observes System.Logger output through its JDK default backing

    exports dev.aio4j.tck;

    opens dev.aio4j.tck to org.junit.platform.commons, lincheck;
}
