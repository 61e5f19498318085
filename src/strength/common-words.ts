/**
 * Short list of the words people put in secrets and sentences: English function words and the
 * vocabulary of keys, apps and environments. Hand-written for this project. A phrase made mostly of
 * these is a sentence, not a random passphrase, and each of its words is costed as one of these few.
 */
export const COMMON_WORDS: readonly string[] = `
a an the this that these those it its is are was were be been being am do does did done have has had
i me my mine we us our you your yours he she they them their his her him of to in on at by for from
with without as or and but not no nor so if then than too very just only also all any some each every
one two three four five six seven eight nine ten first last new old good bad big long short strong weak
here there where when what which who why how can could will would should shall may might must
make made use used using get got set put let go going come keep kept change changed changeme
secret secrets key keys token tokens password passwords passwd pass word words phrase passphrase
pin code access auth login admin administrator root user users guest default defaults test tests testing
dev devel develop development prod production stage staging local live demo example sample dummy
app application api service server client web site data base database db system sys master main
jwt jws jwe hmac sha signing sign signature session cookie csrf salt pepper hash crypt crypto encrypt
private public super supersecret very really so much more most please do dont never ever always
hello world foo bar baz qux abc xyz qwerty letmein welcome monkey dragon iloveyou love sunshine
shadow princess football baseball trustno batman superman starwars whatever freedom ninja
my your our company project team name value temp tmp todo fixme replace insert enter here put
generate generated random string long enough bits bit byte bytes char chars characters at least
`
  .split(/\s+/)
  .filter((w) => w.length > 0);
