"""Write the reader fixtures in this folder and their hand-written expected values.

Run from anywhere: `python tests/extract/files/make_fixtures.py`. Each fixture is a document shape
seen in real reports (see /work/shared/corpus/VARIETY.md); `<name>.expected.json` holds every block
the reader must return, written by hand here, never by running the reader.

Expected tables are {"cells": rows of cell texts, "merged": [[row, col, rowspan, colspan], ...]}:
every source cell spanning more than one position, by its top-left corner; every other position is
its own origin.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = Path("/work/shared/seeds/000_353fe64ea44b1a70.txt")

# -- 1. Section 三 header with rowspan/colspan, a short row, <th>, <thead>/<tbody> --------------------

SPANS_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>测试区2023年政府信息公开工作年度报告_测试区人民政府</title>
<meta name="ArticleTitle" content="测试区2023年政府信息公开工作年度报告">
<meta name="PubDate" content="2024-01-19 10:02">
<meta name="ContentSource" content="测试区人民政府办公室">
<script>document.write("不要读我");</script>
<style>td { border: 1px solid #000; }</style>
</head>
<body>
<div class="crumbs">首页 &gt; 政务公开 &gt; 年度报告</div>
<h1>测试区2023年政府信息公开工作年度报告</h1>
<p>&nbsp;&nbsp;三、收到和处理政府信息公开申请情况&nbsp;</p>
<table border="1">
<thead>
<tr><th rowspan="3" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，<br>等于第三项加第四项之和）</th>
    <th colspan="7">申请人情况</th></tr>
<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>
<tr><th>商业<br>企业</th><th>科研机构</th><th>社会公益组织</th><th>法律服务机构</th><th>其他</th></tr>
</thead>
<tbody>
<tr><td colspan="2">一、本年新收政府信息公开申请数量</td>
    <td>3</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
<tr><td rowspan="3">三、本年度<br/>办理结果</td><td>（一）予以公开</td>
    <td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td>（二）部分公开</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
<tr><td>（三）不予公开</td><td>0</td><td>&nbsp;</td></tr>
</tbody>
</table>
<p>　　四、政府信息公开行政复议、行政诉讼情况　</p>
</body></html>
"""

A = "（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）"
B = "申请人情况"
LEGAL = "法人或其他组织"
SPANS_EXPECTED = {
    "format": "html",
    "title": "测试区2023年政府信息公开工作年度报告_测试区人民政府",
    "metadata": {
        "articletitle": "测试区2023年政府信息公开工作年度报告",
        "pubdate": "2024-01-19 10:02",
        "contentsource": "测试区人民政府办公室",
        "encoding": "utf-8",
    },
    "blocks": [
        {"text": "首页 > 政务公开 > 年度报告"},
        {"text": "测试区2023年政府信息公开工作年度报告"},
        {"text": "三、收到和处理政府信息公开申请情况"},
        {"table": {
            "cells": [
                [A, A, B, B, B, B, B, B, B],
                [A, A, "自然人", LEGAL, LEGAL, LEGAL, LEGAL, LEGAL, "总计"],
                [A, A, "自然人", "商业\n企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
                ["一、本年新收政府信息公开申请数量"] * 2 + ["3", "0", "0", "0", "0", "0", "3"],
                ["三、本年度\n办理结果", "（一）予以公开", "1", "0", "0", "0", "0", "0", "1"],
                ["三、本年度\n办理结果", "（二）部分公开", "1", "1", "0", "0", "0", "0", "2"],
                ["三、本年度\n办理结果", "（三）不予公开", "0", "", "", "", "", "", ""],
            ],
            "merged": [[0, 0, 3, 2], [0, 2, 1, 7], [1, 2, 2, 1], [1, 3, 1, 5], [1, 8, 2, 1],
                       [3, 0, 1, 2], [4, 0, 3, 1]],
        }},
        {"text": "四、政府信息公开行政复议、行政诉讼情况"},
    ],
}

# -- 2. Word "Save as web page" export, GBK bytes under a gb2312 declaration ----------------------

WORD_HTML = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<title>测试县商务局2022年政府信息公开工作年度报告</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>admin</o:Author>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;
	margin:0cm;
	font-size:10.5pt;
	font-family:等线;}
-->
</style>
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>

<p class=MsoNormal align=center style='text-align:center'><b><span
style='font-size:16.0pt;font-family:宋体'>测试县商务局<span lang=EN-US>2022</span>年政府信息公开工作<br>
年度报告<span lang=EN-US><o:p></o:p></span></span></b></p>

<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>

<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
lang=EN-US style='mso-fareast-font-family:宋体'><span style='mso-list:Ignore'>1.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span
style='font-family:宋体'>本年度主动公开政府信息<span lang=EN-US>120</span>条，其中政策解读
<span lang=EN-US>8</span>条。<span lang=EN-US><o:p></o:p></span></span></p>

<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;
 mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=277 colspan=4 valign=top style='width:207.4pt;border:solid windowtext 1.0pt;
  padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal align=center style='text-align:center'><span
  style='font-family:宋体'>第二十条&nbsp;第（一）项<span lang=EN-US><o:p></o:p></span></span></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:1'>
  <td width=69 valign=top style='width:51.85pt;border:solid windowtext 1.0pt;border-top:none'>
  <p class=MsoNormal align=center style='text-align:center'><span
  style='font-family:宋体'>信息内容<span lang=EN-US><o:p></o:p></span></span></p>
  </td>
  <td width=69 valign=top style='width:51.85pt'>
  <p class=MsoNormal align=center style='text-align:center'><span
  style='font-family:宋体'>本年制发</span></p>
  <p class=MsoNormal align=center style='text-align:center'><span
  style='font-family:宋体'>件数<span lang=EN-US><o:p></o:p></span></span></p>
  </td>
  <td width=69 valign=top style='width:51.85pt'>
  <p class=MsoNormal align=center style='text-align:center'><span
  style='font-family:宋体'>本年废止件数<span lang=EN-US><o:p></o:p></span></span></p>
  </td>
  <td width=69 valign=top style='width:51.85pt'>
  <p class=MsoNormal align=center style='text-align:center'><span
  style='font-family:宋体'>现行有效件数<span lang=EN-US><o:p></o:p></span></span></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:2'>
  <td width=69 valign=top style='width:51.85pt'>
  <p class=MsoNormal><span style='font-family:宋体'>行政规范性
  文件<span lang=EN-US><o:p></o:p></span></span></p>
  </td>
  <td width=69 valign=top style='width:51.85pt'>
  <p class=MsoNormal align=center style='text-align:center'><span lang=EN-US>2<o:p></o:p></span></p>
  </td>
  <td width=69 valign=top style='width:51.85pt'>
  <p class=MsoNormal align=center style='text-align:center'><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
  </td>
  <td width=69 valign=top style='width:51.85pt'>
  <p class=MsoNormal align=center style='text-align:center'><span lang=EN-US>15<o:p></o:p></span></p>
  </td>
 </tr>
 <![if !supportMisc]>
 <tr height=0>
  <td width=69 style='border:none'></td>
  <td width=69 style='border:none'></td>
  <td width=69 style='border:none'></td>
  <td width=69 style='border:none'></td>
 </tr>
 <![endif]>
</table>

<p class=MsoNormal><span style='font-family:宋体'>联系人：王堃<span
lang=EN-US>&nbsp;&nbsp;</span>电话：<span lang=EN-US>0395-1234567<o:p></o:p></span></span></p>

</div>

</body>

</html>
"""

WORD_EXPECTED = {
    "format": "html",
    "title": "测试县商务局2022年政府信息公开工作年度报告",
    "metadata": {
        "progid": "Word.Document",
        "generator": "Microsoft Word 15",
        "originator": "Microsoft Word 15",
        "encoding": "gb18030",
    },
    "blocks": [
        {"text": "测试县商务局2022年政府信息公开工作"},
        {"text": "年度报告"},
        {"text": "1. 本年度主动公开政府信息120条，其中政策解读 8条。"},
        {"table": {
            "cells": [
                ["第二十条 第（一）项"] * 4,
                ["信息内容", "本年制发\n件数", "本年废止件数", "现行有效件数"],
                ["行政规范性文件", "2", "", "15"],
                ["", "", "", ""],
            ],
            "merged": [[0, 0, 1, 4]],
        }},
        {"text": "联系人：王堃 电话：0395-1234567"},
    ],
}

# -- 3. A GB2312 page that declares no charset at all ---------------------------------------------

GB2312_HTML = """<html><head><title>测试镇人民政府2021年政府信息公开工作年度报告</title></head>
<body>
<p>测试镇人民政府2021年政府信息公开工作年度报告</p>
<p>本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。</p>
<p>一、总体情况</p>
<p>本年度我镇认真贯彻落实上级关于政务公开工作的部署，进一步完善工作机制，及时公开财政预算决算、重大项目建设等信息。</p>
<table border=1><tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table>
</body></html>
"""

GB2312_EXPECTED = {
    "format": "html",
    "title": "测试镇人民政府2021年政府信息公开工作年度报告",
    "metadata": {"encoding": "gb18030"},
    "blocks": [
        {"text": "测试镇人民政府2021年政府信息公开工作年度报告"},
        {"text": "本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、主动公开政府信息情况、"
                 "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
                 "其他需要报告的事项。"},
        {"text": "一、总体情况"},
        {"text": "本年度我镇认真贯彻落实上级关于政务公开工作的部署，进一步完善工作机制，"
                 "及时公开财政预算决算、重大项目建设等信息。"},
        {"table": {
            "cells": [["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                      ["规章", "0", "0", "0"]],
            "merged": [],
        }},
    ],
}

# -- 4. Site layout tables around the data tables --------------------------------------------------

NESTED_HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="publishdate" content="2022-01-25">
</head>
<body>
<table width="1000" align="center" class="layout">
  <tr><td colspan="2">首页 &gt;&gt; 政府信息公开年报</td></tr>
  <tr>
    <td width="760">
      <div class="title">测试镇2021年政府信息公开工作年度报告</div>
      <div class="info">发布时间：2022-01-25 <span>浏览次数：<script>count()</script>128</span></div>
      <table border="1" class="data">
        <tr><td>信息内容</td><td>本年处理决定数量</td></tr>
        <tr><td>行政许可</td><td>12</td></tr>
      </table>
      <p>五、存在的主要问题及改进情况</p>
      <table border="1" class="data">
        <tr><td>行政复议</td><td colspan="2">行政诉讼</td></tr>
        <tr><td>0</td><td>0</td><td>1</td></tr>
      </table>
    </td>
    <td width="240"><table><tr><td>相关链接</td></tr><tr><td>测试县人民政府</td></tr></table></td>
  </tr>
</table>
<table class="footer"><tr><td>版权所有：测试县人民政府</td></tr></table>
</body></html>
"""

NESTED_EXPECTED = {
    "format": "html",
    "title": None,
    "metadata": {"publishdate": "2022-01-25", "encoding": "utf-8"},
    "blocks": [
        {"text": "首页 >> 政府信息公开年报"},
        {"text": "测试镇2021年政府信息公开工作年度报告"},
        {"text": "发布时间：2022-01-25 浏览次数：128"},
        {"table": {"cells": [["信息内容", "本年处理决定数量"], ["行政许可", "12"]], "merged": []}},
        {"text": "五、存在的主要问题及改进情况"},
        {"table": {"cells": [["行政复议", "行政诉讼", "行政诉讼"], ["0", "0", "1"]], "merged": [[0, 1, 1, 2]]}},
        # one-column tables are layout boxes: their cells read as running text
        {"text": "相关链接"},
        {"text": "测试县人民政府"},
        {"text": "版权所有：测试县人民政府"},
    ],
}

# -- 5. A table whose markup was lost: one cell per paragraph, blank paragraphs, <br> lines ----------

LOST_HTML = """<html><head><meta charset="utf-8"><title>年报</title></head><body>
<div class="TRS_Editor">
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<p>&nbsp;</p>
<p>行政复议</p>
<p></p>
<p>行政诉讼</p>
<p>　</p>
<p>结果维持</p><p>结果纠正</p>
<p><span>0</span></p>
<div>未经复议直接起诉<br>复议后起诉<br/><br/>&nbsp;<br>总计</div>
<ul><li>1</li><li> 2 </li></ul>
</div>
</body></html>
"""

LOST_EXPECTED = {
    "format": "html",
    "title": "年报",
    "metadata": {"encoding": "utf-8"},
    "blocks": [{"text": t} for t in (
        "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结果维持", "结果纠正", "0",
        "未经复议直接起诉", "复议后起诉", "总计", "1", "2",
    )],
}

FIXTURES = {
    "spans.html": (SPANS_HTML, "utf-8", SPANS_EXPECTED),
    "word_gbk.html": (WORD_HTML, "gbk", WORD_EXPECTED),
    "gb2312_no_meta.html": (GB2312_HTML, "gb2312", GB2312_EXPECTED),
    "nested_layout.html": (NESTED_HTML, "utf-8", NESTED_EXPECTED),
    "lost_markup.html": (LOST_HTML, "utf-8", LOST_EXPECTED),
}


def main() -> None:
    for name, (source, encoding, expected) in FIXTURES.items():
        # Word writes CRLF line ends; keep that so the reader sees what it will meet.
        if name.startswith("word"):
            source = source.replace("\n", "\r\n")
        (HERE / name).write_bytes(source.encode(encoding))
        stem = name.rsplit(".", 1)[0]
        (HERE / f"{stem}.expected.json").write_text(
            json.dumps({"file": name, **expected}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if SEED.exists():
        shutil.copyfile(SEED, HERE / f"seed_{SEED.name}")


if __name__ == "__main__":
    main()
