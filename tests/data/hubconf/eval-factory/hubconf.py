dependencies = ['torch']

from speechkit.entry import Entry, StreamingEntry, TABLE

# A short name for the factory; every entrypoint is an Entry instance,
# callable through Entry.__call__.
_ce = lambda n: Entry.create(n, TABLE[n])

asr_en_small = _ce("asr_en_small")
asr_en_large = _ce("asr_en_large")
asr_de = _ce("asr_de")
vad = StreamingEntry.create("vad", TABLE["vad"])
tts_en = Entry.from_name("tts_en")
