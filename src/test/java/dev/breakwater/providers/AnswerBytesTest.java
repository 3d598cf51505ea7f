package dev.breakwater.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnswerBytesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\": \"gpt-4o\", \"choices\": [{\"message\": {\"model\": \"inner\", \"content\": \"caf\\u00e9 1.50\"}}], \"x\": 1.0E2}",
            "{\"id\":\"a\",\"model\":\"gpt-4o\"}",
            "{\"choices\":[],\n  \"model\" :\t\"gpt-\\\"4o\\\"\" , \"usage\":null}  \n",
            "{\"model\":\"\"}"})
    void onlyTheTopLevelModelChangesAndEveryOtherByteStays(String answer) throws IOException {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        AnswerBytes.Read read = AnswerBytes.read(JSON, bytes);
        assertEquals(JSON.readTree(bytes), read.tree());

        String renamed = new String(read.bytes().renamed("team \"a\"/é"), StandardCharsets.UTF_8);
        int start = answer.indexOf('"', answer.indexOf(':', answer.indexOf("\"model\"")));
        assertEquals(answer.substring(0, start) + "\"team \\\"a\\\"/é\"" + answer.substring(start + rawLength(answer, start)), renamed);
        assertEquals("team \"a\"/é", JSON.readTree(renamed).get("model").asText());
    }

    @Test
    void anAnswerWithoutModelGoesOutAsItCame() throws IOException {
        byte[] bytes = "{\"choices\": [{\"message\": {\"model\": \"x\"}}]}".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(bytes, AnswerBytes.read(JSON, bytes).bytes().renamed("primary"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"a\",\"model\":\"b\"}",
            "{\"model\":null,\"choices\":[]}",
            "{\"model\":{\"id\":\"a\"}}",
            "[{\"model\":\"a\"}]"})
    void bytesThatCannotGoOutAsTheyCameAreWrittenFromTheTree(String answer) throws IOException {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        AnswerBytes.Read read = AnswerBytes.read(JSON, bytes);
        assertNull(read.bytes());
        assertEquals(JSON.readTree(bytes), read.tree());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"model\":\"a\"", "{\"model\":", "{\"model\" \"a\"}", "not json",
            "{\"model\":\"a\"} trailing", "{\"model\":\"a\"}{}"})
    void anAnswerThatIsNotOneJsonDocumentFails(String answer) {
        assertThrows(IOException.class, () -> AnswerBytes.read(JSON, answer.getBytes(StandardCharsets.UTF_8)));
    }

    /** The length of the JSON string starting at {@code start}, quotes and escapes included. */
    private static int rawLength(String s, int start) {
        int i = start + 1;
        while (s.charAt(i) != '"') {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1 - start;
    }
}
