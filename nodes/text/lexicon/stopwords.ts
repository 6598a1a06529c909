// Function words excluded from keyword extraction. Hand-written (MIT), short on
// purpose: only words that would otherwise dominate every keyword list.
export const STOPWORDS = new Set<string>([
  // English
  ...`a an the and or but if then so than that this these those there here is are was were be been being
  am do does did doing have has had having i me my mine we us our you your yours he him his she her it its
  they them their what which who whom whose when where why how all any both each few more most other some
  such only own same too very just also can will would should could may might must shall of at by for with
  about against between into through during before after above below to from up down in out on off over
  under again further once not no nor yes ok okay im i'm it's its you're they're we're don't doesn't didn't
  isn't wasn't aren't can't won't get got gets getting go going went one two really still even much many
  lol haha rt via amp`.split(/\s+/),
  // Chinese
  ...`的 了 是 我 你 他 她 它 们 我们 你们 他们 她们 这 那 这个 那个 这些 那些 这样 那样 就 都 也 还 在 和
  与 及 或 而 又 吧 吗 呢 啊 呀 哦 哈 哈哈 哈哈哈 嘛 啦 么 么么 着 过 给 被 把 让 对 从 到 向 于 为 为了 以
  因为 所以 如果 虽然 但是 但 可是 不过 然后 还是 已经 一个 一下 一些 有 没 没有 不 很 太 非常 真的 真是
  什么 怎么 怎么样 为什么 哪 哪里 谁 自己 大家 今天 昨天 现在 时候 一直 一样 这么 那么 可以 能 会 要
  想 说 看 去 来 做 用 上 下 里 中 个 次 点 啥 咋 得 地 之 其 等 等等 而且 并且 以及 一 二 三`.split(/\s+/),
].filter(Boolean));
